import { crc32, deflateSync } from 'node:zlib';

/**
 * Small but real evidence files for the tests, built byte by byte so each test says exactly
 * which metadata a file carries: a baseline JPEG, a PNG, a lossless WebP and the box outline of
 * an MP4, each optionally with the location blocks a phone writes (EXIF GPS, XMP, ISO 6709).
 */

/** Paris, as a phone's GPS IFD writes it: 48° 51′ 29.57″ N, 2° 17′ 40.20″ E, 35 m. */
export const GPS_LATITUDE_RATIONALS = rationals([48, 1], [51, 1], [2957, 100]);
export const GPS_LONGITUDE_RATIONALS = rationals([2, 1], [17, 1], [4020, 100]);
export const XMP_WITH_LOCATION =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4928N" exif:GPSLongitude="2,17.67E"/>' +
  '</rdf:RDF></x:xmpmeta>';
export const ISO6709_LOCATION = '+48.8582+002.2945+035.000/';

function rationals(...pairs: Array<[number, number]>): Buffer {
  const bytes = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([numerator, denominator], index) => {
    bytes.writeUInt32BE(numerator, index * 8);
    bytes.writeUInt32BE(denominator, index * 8 + 4);
  });
  return bytes;
}

/**
 * A big-endian TIFF structure as EXIF carries it: IFD0 with Orientation and a pointer to the GPS
 * IFD, which holds latitude, longitude and altitude with their references.
 */
export function tiffWithGps(orientation = 6): Buffer {
  const entry = (tag: number, type: number, count: number, value: Buffer) => {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt16BE(tag, 0);
    bytes.writeUInt16BE(type, 2);
    bytes.writeUInt32BE(count, 4);
    value.copy(bytes, 8);
    return bytes;
  };
  const u16 = (value: number) => Buffer.from([value >> 8, value & 0xff, 0, 0]);
  const u32 = (value: number) => Buffer.from([(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
  const ascii = (text: string) => Buffer.from(`${text}\0\0\0\0`.slice(0, 4), 'latin1');
  const ifd0At = 8;
  const ifd0Size = 2 + 2 * 12 + 4;
  const gpsAt = ifd0At + ifd0Size;
  const gpsSize = 2 + 5 * 12 + 4;
  const latitudeAt = gpsAt + gpsSize;
  const longitudeAt = latitudeAt + 24;
  const altitudeAt = longitudeAt + 24;
  return Buffer.concat([
    Buffer.from([0x4d, 0x4d, 0x00, 0x2a]),
    u32(ifd0At),
    Buffer.from([0x00, 0x02]),
    entry(0x0112, 3, 1, u16(orientation)),
    entry(0x8825, 4, 1, u32(gpsAt)),
    u32(0),
    Buffer.from([0x00, 0x05]),
    entry(0x0001, 2, 2, ascii('N')),
    entry(0x0002, 5, 3, u32(latitudeAt)),
    entry(0x0003, 2, 2, ascii('E')),
    entry(0x0004, 5, 3, u32(longitudeAt)),
    entry(0x0006, 5, 1, u32(altitudeAt)),
    u32(0),
    GPS_LATITUDE_RATIONALS,
    GPS_LONGITUDE_RATIONALS,
    rationals([35, 1]),
  ]);
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

export const jpegExifSegment = (tiff: Buffer = tiffWithGps()): Buffer =>
  jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
export const jpegXmpSegment = (xmp: string = XMP_WITH_LOCATION): Buffer =>
  jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${xmp}`, 'utf8'));

/**
 * An 8×8 grey baseline JPEG: JFIF, one quantisation table, one component, one DC and one AC
 * Huffman table of a single 1-bit code each, and a scan of one block (DC difference 0, then end
 * of block: bits 00, padded with ones to 0x3F). `metadata` segments go right after APP0, where
 * cameras put theirs; `trailer` after the end-of-image marker, as phones append extra pictures.
 */
export function tinyJpeg({ metadata = [], trailer }: { metadata?: Buffer[]; trailer?: Buffer } = {}): Buffer {
  const huffmanTable = (classAndId: number) => Buffer.from([classAndId, 1, ...new Array(15).fill(0), 0x00]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])),
    ...metadata,
    jpegSegment(0xdb, Buffer.from([0x00, ...new Array(64).fill(1)])),
    jpegSegment(0xc0, Buffer.from([0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00])),
    jpegSegment(0xc4, huffmanTable(0x00)),
    jpegSegment(0xc4, huffmanTable(0x10)),
    jpegSegment(0xda, Buffer.from([0x01, 0x01, 0x00, 0x00, 0x3f, 0x00])),
    Buffer.from([0x3f]),
    Buffer.from([0xff, 0xd9]),
    ...(trailer ? [trailer] : []),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export const pngExifChunk = (tiff: Buffer = tiffWithGps()): Buffer => pngChunk('eXIf', tiff);
export const pngXmpChunk = (xmp: string = XMP_WITH_LOCATION): Buffer =>
  pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(xmp, 'utf8')]));
export const pngTextChunk = (keyword: string, text: string): Buffer => pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));

/** A 2×2 RGB PNG (red, green, blue, white) with an sRGB chunk; `metadata` chunks after IHDR. */
export function tinyPng({ metadata = [] }: { metadata?: Buffer[] } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const scanlines = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('sRGB', Buffer.from([0])),
    ...metadata,
    pngChunk('IDAT', deflateSync(scanlines)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1×1 lossless WebP bitstream (a VP8L chunk's content). */
const VP8L_1X1 = Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07]);

function webpChunk(fourcc: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(fourcc, 0, 'latin1');
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data, data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** The simple form: the image chunk alone. */
export const tinyWebp = (): Buffer => riff([webpChunk('VP8L', VP8L_1X1)]);

/** The extended form a phone writes: VP8X announcing EXIF and XMP, the image, then both. */
export function tinyWebpWithLocation(): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08 | 0x04 | 0x10; // EXIF, XMP, alpha
  vp8x.writeUIntLE(0, 4, 3); // canvas width − 1
  vp8x.writeUIntLE(0, 7, 3); // canvas height − 1
  return riff([
    webpChunk('VP8X', vp8x),
    webpChunk('VP8L', VP8L_1X1),
    webpChunk('EXIF', tiffWithGps()),
    webpChunk('XMP ', Buffer.from(XMP_WITH_LOCATION, 'utf8')),
  ]);
}

function mp4Box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/**
 * The box outline of an MP4 as a phone writes it, `moov` first: the movie header, a track, and
 * the position in `udta/©xyz` and in Apple's `meta` keys; then the media data. Not playable (the
 * headers are zeros), which the box walk does not need.
 */
export function tinyMp4({ location = true }: { location?: boolean } = {}): Buffer {
  const xyz = Buffer.concat([Buffer.from([0, ISO6709_LOCATION.length, 0x15, 0xc7]), Buffer.from(ISO6709_LOCATION, 'latin1')]);
  const metadata = location
    ? [
        mp4Box('udta', mp4Box('\u00a9xyz', xyz)),
        mp4Box('meta', Buffer.alloc(4), mp4Box('keys', Buffer.from('com.apple.quicktime.location.ISO6709', 'latin1')), mp4Box('ilst', xyz)),
      ]
    : [];
  return Buffer.concat([
    mp4Box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1')),
    mp4Box(
      'moov',
      mp4Box('mvhd', Buffer.alloc(100)),
      mp4Box('trak', mp4Box('tkhd', Buffer.alloc(84)), ...(location ? [mp4Box('udta', mp4Box('\u00a9xyz', xyz))] : [])),
      ...metadata,
    ),
    mp4Box('mdat', Buffer.from('frame data stays exactly where it was', 'latin1')),
  ]);
}
