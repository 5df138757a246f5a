import type { EvidenceContentType } from './evidence-type.js';

/**
 * Evidence files leave the shopper's phone with where they were taken: EXIF GPS in a photo,
 * often an XMP copy of it, an ISO 6709 position in a video. Customer service needs the picture,
 * not the shopper's home address, so every file is rewritten before it is stored, keeping only
 * what is needed to show it.
 *
 * The rule is an allow-list per format, not a hunt for GPS tags: a metadata block is dropped
 * unless it is known to carry only what decoding needs (colour profile, transparency…). A vendor
 * block nobody here has read (a maker note, C2PA credentials, a second picture appended after
 * the first) goes too. The pixels themselves are copied byte for byte, never re-encoded.
 *
 *  - JPEG: segments APP0 (JFIF), APP2 ICC_PROFILE and APP14 (Adobe colour transform) stay; every
 *    other APPn (APP1 Exif and XMP, APP13 IPTC, APP2 MPF…) and comments go, and anything after
 *    the end-of-image marker (appended depth maps, gain maps, vendor trailers). The EXIF
 *    orientation, without which a phone's portrait photo shows on its side, is kept: the Exif
 *    segment is replaced by one holding that single tag.
 *  - PNG: critical chunks and the ancillary chunks that affect rendering stay; eXIf, the text
 *    chunks (tEXt, zTXt, iTXt: XMP travels in them) and unknown ancillary chunks go, and
 *    anything after IEND.
 *  - WebP: the image, alpha, animation and ICC chunks stay; EXIF, XMP and unknown chunks go, the
 *    VP8X flags no longer announce them and the RIFF size is recomputed.
 *  - MP4: the user-data and metadata boxes (`udta`, `meta`: `©xyz`, Apple's location keys) and
 *    top-level `uuid` boxes (XMP) become `free` boxes of the same size with their content
 *    zeroed. Nothing moves, so the sample offsets in `stco`/`co64` stay right.
 *
 * A file whose structure cannot be walked is refused rather than stored as it came.
 */
export type LocationStripping = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export function stripLocation(contentType: EvidenceContentType, input: Uint8Array): LocationStripping {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    switch (contentType) {
      case 'image/jpeg':
        return { ok: true, bytes: stripJpeg(bytes) };
      case 'image/png':
        return { ok: true, bytes: stripPng(bytes) };
      case 'image/webp':
        return { ok: true, bytes: stripWebp(bytes) };
      case 'video/mp4':
        return { ok: true, bytes: stripMp4(bytes) };
    }
  } catch (error) {
    if (error instanceof MalformedFile) return { ok: false, reason: error.message };
    throw error;
  }
}

class MalformedFile extends Error {}

function malformed(what: string): never {
  throw new MalformedFile(what);
}

// ---------------------------------------------------------------------------------------- JPEG

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

const JPEG_KEPT_APPS: ReadonlyArray<[marker: number, prefix: string]> = [
  [APP0, 'JFIF\0'],
  [APP0, 'JFXX\0'],
  [APP2, 'ICC_PROFILE\0'],
  [APP14, 'Adobe'],
];

function stripJpeg(bytes: Buffer): Buffer {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) malformed('a JPEG without its start-of-image marker');
  const parts: Buffer[] = [];
  let copyFrom = 0;
  let orientationWritten = false;
  let inScan = false;
  let at = 2;
  for (;;) {
    if (at >= bytes.length) malformed('a JPEG cut short before its end-of-image marker');
    if (bytes[at] !== 0xff) {
      if (!inScan) malformed(`a JPEG with stray data at byte ${at}`);
      // Entropy-coded data: jump to the next 0xFF, the only byte that may start a marker.
      const next = bytes.indexOf(0xff, at);
      at = next === -1 ? bytes.length : next;
      continue;
    }
    if (at + 1 >= bytes.length) malformed('a JPEG cut short before its end-of-image marker');
    const marker = bytes[at + 1];
    // 0xFF 0x00 is a stuffed data byte and 0xFF 0xD0–D7 a restart marker, both within a scan;
    // a run of 0xFF is fill before a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      if (marker === 0x00 && !inScan) malformed(`a JPEG with stray data at byte ${at}`);
      at += 2;
      continue;
    }
    if (marker === EOI) {
      if (!inScan) malformed('a JPEG with no image data');
      parts.push(bytes.subarray(copyFrom, at + 2));
      return Buffer.concat(parts);
    }
    if (marker === SOI) malformed('a JPEG with a second start-of-image marker before its end');
    if (at + 4 > bytes.length) malformed('a JPEG cut short in a segment header');
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) malformed(`a JPEG whose segment at byte ${at} runs past the end of the file`);
    if (isMetadataSegment(marker) && !keptApp(marker, bytes.subarray(at + 4, end))) {
      parts.push(bytes.subarray(copyFrom, at));
      if (marker === APP1 && !orientationWritten) {
        const orientation = exifOrientation(bytes.subarray(at + 4, end));
        if (orientation !== undefined && orientation !== 1) {
          parts.push(orientationOnlyExif(orientation));
          orientationWritten = true;
        }
      }
      copyFrom = end;
    }
    if (marker === SOS) inScan = true;
    at = end;
  }
}

function isMetadataSegment(marker: number): boolean {
  return (marker >= APP0 && marker <= APP15) || marker === COM;
}

function keptApp(marker: number, payload: Buffer): boolean {
  return JPEG_KEPT_APPS.some(([kept, prefix]) => kept === marker && payload.subarray(0, prefix.length).toString('latin1') === prefix);
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 Exif payload, if there is one and it reads cleanly. */
export function exifOrientation(payload: Buffer): number | undefined {
  if (payload.subarray(0, 6).toString('latin1') !== 'Exif\0\0') return undefined;
  const tiff = payload.subarray(6);
  if (tiff.length < 8) return undefined;
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (offset: number) => (little ? tiff.readUInt16LE(offset) : tiff.readUInt16BE(offset));
  const u32 = (offset: number) => (little ? tiff.readUInt32LE(offset) : tiff.readUInt32BE(offset));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let index = 0; index < count; index++) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > tiff.length) return undefined;
    // Tag 0x0112, type SHORT (3), one value, held in the entry's value field.
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3 && u32(entry + 4) === 1) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** An APP1 Exif segment holding only IFD0's Orientation: big-endian TIFF, one entry, no next IFD. */
function orientationOnlyExif(orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0x00,
    0x00,
    0x00,
    0x08, // header: big-endian, IFD0 at 8
    0x00,
    0x01, // one entry
    0x01,
    0x12,
    0x00,
    0x03,
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    orientation,
    0x00,
    0x00, // Orientation, SHORT, 1
    0x00,
    0x00,
    0x00,
    0x00, // no IFD1
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, APP1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

// ----------------------------------------------------------------------------------------- PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Ancillary chunks that change how the picture renders (colour, transparency, animation, size). */
const PNG_KEPT_ANCILLARY = new Set([
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'iCCP',
  'cICP',
  'mDCV',
  'cLLI',
  'sBIT',
  'bKGD',
  'pHYs',
  'sPLT',
  'hIST',
  'acTL',
  'fcTL',
  'fdAT',
]);

function stripPng(bytes: Buffer): Buffer {
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) malformed('a PNG without its signature');
  const parts: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  let first = true;
  for (;;) {
    if (at + 12 > bytes.length) malformed('a PNG cut short before its IEND chunk');
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) malformed(`a PNG whose ${JSON.stringify(type)} chunk runs past the end of the file`);
    if (!/^[A-Za-z]{4}$/.test(type)) malformed(`a PNG with a malformed chunk at byte ${at}`);
    if (first && type !== 'IHDR') malformed('a PNG that does not start with IHDR');
    first = false;
    const critical = type.charCodeAt(0) < 0x61;
    if (critical || PNG_KEPT_ANCILLARY.has(type)) parts.push(bytes.subarray(at, end));
    if (type === 'IEND') return Buffer.concat(parts);
    at = end;
  }
}

// ---------------------------------------------------------------------------------------- WebP

const WEBP_KEPT = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const WEBP_IMAGE = new Set(['VP8 ', 'VP8L', 'ANMF']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(bytes: Buffer): Buffer {
  if (bytes.length < 12 || bytes.subarray(0, 4).toString('latin1') !== 'RIFF' || bytes.subarray(8, 12).toString('latin1') !== 'WEBP') {
    malformed('a WebP without its RIFF header');
  }
  const riffEnd = 8 + bytes.readUInt32LE(4);
  if (riffEnd > bytes.length || riffEnd < 12) malformed('a WebP whose RIFF size does not match the file');
  const chunks: Buffer[] = [];
  let hasImage = false;
  let at = 12;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) malformed('a WebP cut short in a chunk header');
    const fourcc = bytes.subarray(at, at + 4).toString('latin1');
    const size = bytes.readUInt32LE(at + 4);
    const end = at + 8 + size + (size % 2);
    // The last chunk's padding byte is sometimes missing; what it would hold is not needed.
    if (at + 8 + size > riffEnd) malformed(`a WebP whose ${JSON.stringify(fourcc)} chunk runs past the end of the file`);
    if (WEBP_KEPT.has(fourcc)) {
      const chunk = Buffer.alloc(8 + size + (size % 2));
      bytes.copy(chunk, 0, at, Math.min(end, riffEnd));
      if (fourcc === 'VP8X') {
        if (size < 10) malformed('a WebP with a short VP8X chunk');
        chunk[8] &= ~(VP8X_EXIF | VP8X_XMP);
      }
      chunks.push(chunk);
    }
    if (WEBP_IMAGE.has(fourcc)) hasImage = true;
    at = end;
  }
  if (!hasImage) malformed('a WebP with no image data');
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

// ----------------------------------------------------------------------------------------- MP4

/** Boxes holding only descriptive metadata, where phones and cameras write the position. */
const MP4_METADATA_BOXES = new Set(['udta', 'meta']);
const MP4_CONTAINERS = new Set(['moov', 'trak']);

function stripMp4(input: Buffer): Buffer {
  const bytes = Buffer.from(input);
  neutraliseMp4Boxes(bytes, 0, bytes.length, 0);
  return bytes;
}

function neutraliseMp4Boxes(bytes: Buffer, from: number, to: number, depth: number): void {
  let at = from;
  while (at < to) {
    if (at + 8 > to) malformed(`an MP4 cut short in a box header at byte ${at}`);
    let size = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) malformed(`an MP4 cut short in a box header at byte ${at}`);
      const large = bytes.readBigUInt64BE(at + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) malformed(`an MP4 whose ${JSON.stringify(type)} box is impossibly large`);
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    const end = at + size;
    if (size < header || end > to) malformed(`an MP4 whose ${JSON.stringify(type)} box runs past its container`);
    if (MP4_METADATA_BOXES.has(type) || (depth === 0 && type === 'uuid')) {
      bytes.write('free', at + 4, 'latin1');
      bytes.fill(0, at + header, end);
    } else if (MP4_CONTAINERS.has(type) && depth < 2) {
      neutraliseMp4Boxes(bytes, at + header, end, depth + 1);
    }
    at = end;
  }
}
