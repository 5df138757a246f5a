/**
 * What an evidence file is, told from its first bytes and never from its name or the
 * Content-Type the client declared: a shopper's phone names files as it likes, and a renamed
 * text file must not be stored as a photo.
 *
 * Four kinds are taken: JPEG, PNG, WebP and MP4. The signatures are written here rather than
 * taken from a detection library because four are all we need and each is a few bytes.
 */
export const EVIDENCE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4'] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

/** Most evidence files one request may carry, all uploads together. */
export const MAX_EVIDENCE_FILES = 9;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * ISO base media brands that say "MP4": the ISO family, the MP4 versions, AVC and DASH.
 * QuickTime (`qt  `), HEIF/AVIF images (`heic`, `avif`, `mif1`) and 3GPP are other formats in
 * the same box structure and are not taken for MP4.
 */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso7',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'avc1',
  'dash',
  'M4V ',
]);
/** A compatible brand that alone is enough, whatever the major brand (bar QuickTime's). */
const MP4_COMPATIBLE = new Set(['mp41', 'mp42']);

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);
const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

export function detectEvidenceType(bytes: Uint8Array): EvidenceContentType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (isMp4(bytes)) return 'video/mp4';
  return null;
}

/** The leading `ftyp` box: major brand, minor version, then compatible brands, four bytes each. */
function isMp4(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const boxSize = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (boxSize < 16 || boxSize > 4096 || boxSize > bytes.length || boxSize % 4 !== 0) return false;
  const major = ascii(bytes, 8, 12);
  if (MP4_BRANDS.has(major)) return true;
  if (major === 'qt  ') return false;
  for (let at = 16; at + 4 <= boxSize; at += 4) if (MP4_COMPATIBLE.has(ascii(bytes, at, at + 4))) return true;
  return false;
}

/**
 * A few words on what a refused file looked like, for the refusal's `detail` ("a text file",
 * "a GIF image"), so the shopper knows why the photo they chose is not one.
 */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(bytes, [0x42, 0x4d])) return 'a BMP image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (or an office document)';
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (brand === 'qt  ') return 'a QuickTime (MOV) video';
    if (['heic', 'heix', 'hevc', 'mif1', 'msf1'].includes(brand)) return 'a HEIC/HEIF image';
    if (brand === 'avif' || brand === 'avis') return 'an AVIF image';
    return `an ISO media file of brand "${brand.trim()}"`;
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF') return `a RIFF file of form "${ascii(bytes, 8, 12).trim()}"`;
  if (looksLikeText(bytes.subarray(0, 512))) return 'a text file';
  return 'an unrecognised binary file';
}

function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head) {
    // Tab, line feed, carriage return and printable ASCII; bytes of UTF-8 sequences pass too.
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return false;
  }
  return true;
}
