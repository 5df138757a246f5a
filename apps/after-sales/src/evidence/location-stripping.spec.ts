import { describe, expect, it } from 'vitest';
import {
  GPS_LATITUDE_RATIONALS,
  GPS_LONGITUDE_RATIONALS,
  ISO6709_LOCATION,
  jpegExifSegment,
  jpegXmpSegment,
  pngExifChunk,
  pngTextChunk,
  pngXmpChunk,
  tinyJpeg,
  tinyMp4,
  tinyPng,
  tinyWebp,
  tinyWebpWithLocation,
} from './evidence-samples.js';
import { detectEvidenceType, type EvidenceContentType } from './evidence-type.js';
import { exifOrientation, stripLocation } from './location-stripping.js';

function stripped(contentType: EvidenceContentType, bytes: Buffer): Buffer {
  const result = stripLocation(contentType, bytes);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.bytes;
}

/** What betrays a place, in any of the encodings the samples use. */
function expectNoLocation(bytes: Buffer): void {
  expect(bytes.includes(GPS_LATITUDE_RATIONALS)).toBe(false);
  expect(bytes.includes(GPS_LONGITUDE_RATIONALS)).toBe(false);
  expect(bytes.includes('GPSLatitude')).toBe(false);
  expect(bytes.includes(ISO6709_LOCATION)).toBe(false);
  // The GPSInfo pointer tag of IFD0, big-endian, as an entry starts.
  expect(bytes.includes(Buffer.from([0x88, 0x25, 0x00, 0x04]))).toBe(false);
}

/** The JPEG's segments up to the scan: marker and payload. */
function jpegSegments(bytes: Buffer): Array<{ marker: number; payload: Buffer }> {
  const segments: Array<{ marker: number; payload: Buffer }> = [];
  let at = 2;
  while (bytes[at] === 0xff && bytes[at + 1] !== 0xda) {
    const length = bytes.readUInt16BE(at + 2);
    segments.push({ marker: bytes[at + 1], payload: bytes.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
  return segments;
}

function pngChunkTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at < bytes.length; at += 12 + bytes.readUInt32BE(at)) types.push(bytes.subarray(at + 4, at + 8).toString('latin1'));
  return types;
}

function webpChunks(bytes: Buffer): string[] {
  const chunks: string[] = [];
  for (let at = 12; at < bytes.length; ) {
    const size = bytes.readUInt32LE(at + 4);
    chunks.push(bytes.subarray(at, at + 4).toString('latin1'));
    at += 8 + size + (size % 2);
  }
  return chunks;
}

describe('stripLocation: JPEG', () => {
  it('takes the Exif GPS and the XMP out and keeps the picture byte for byte', () => {
    const original = tinyJpeg({ metadata: [jpegExifSegment(), jpegXmpSegment()] });
    expect(original.includes(GPS_LATITUDE_RATIONALS)).toBe(true);
    const clean = stripped('image/jpeg', original);
    expectNoLocation(clean);
    expect(clean.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(clean.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    // Everything from the quantisation table on (tables, frame, scan) is what it was.
    const pictureFrom = (bytes: Buffer) => bytes.subarray(bytes.indexOf(Buffer.from([0xff, 0xdb])));
    expect(pictureFrom(clean)).toEqual(pictureFrom(original));
    expect(detectEvidenceType(clean)).toBe('image/jpeg');
  });

  it('keeps the orientation, in an Exif segment holding nothing else', () => {
    const clean = stripped('image/jpeg', tinyJpeg({ metadata: [jpegExifSegment()] }));
    const exif = jpegSegments(clean).filter((segment) => segment.marker === 0xe1);
    expect(exif).toHaveLength(1);
    expect(exifOrientation(exif[0].payload)).toBe(6);
    expect(exif[0].payload.length).toBe(6 + 8 + 2 + 12 + 4);
  });

  it('reads the orientation in either byte order, and only a well-formed one', () => {
    const littleEndian = Buffer.from('Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x08\0\0\0\0\0\0\0', 'latin1');
    expect(exifOrientation(littleEndian)).toBe(8);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithOrientation(9)]))).toBeUndefined();
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithOrientation(3).subarray(0, 12)]))).toBeUndefined();
    expect(exifOrientation(Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'))).toBeUndefined();
  });

  it('drops an Exif segment whose orientation is the default, and one that does not parse', () => {
    const upright = stripped('image/jpeg', tinyJpeg({ metadata: [jpegExifSegment(tiffWithOrientation(1))] }));
    expect(jpegSegments(upright).map((segment) => segment.marker)).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xc4]);
    const garbled = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, 0x0a]), Buffer.from('Exif\0\0MM', 'latin1')]);
    const clean = stripped('image/jpeg', tinyJpeg({ metadata: [garbled] }));
    expect(jpegSegments(clean).map((segment) => segment.marker)).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xc4]);
  });

  it('keeps JFIF, the ICC profile and Adobe’s colour segment, and drops comments and other application segments', () => {
    const segment = (marker: number, text: string) => {
      const payload = Buffer.from(text, 'latin1');
      return Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
    };
    const icc = segment(0xe2, 'ICC_PROFILE\0\x01\x01profile');
    const adobe = segment(0xee, 'Adobe\0\x64\0\0\0\0\x01');
    const original = tinyJpeg({
      metadata: [icc, segment(0xe2, 'MPF\0II*\0'), segment(0xed, 'Photoshop 3.0\0city=Paris'), adobe, segment(0xfe, 'shot at home')],
    });
    const clean = stripped('image/jpeg', original);
    expect(jpegSegments(clean).map((each) => each.marker)).toEqual([0xe0, 0xe2, 0xee, 0xdb, 0xc0, 0xc4, 0xc4]);
    expect(clean.includes(icc)).toBe(true);
    expect(clean.includes(adobe)).toBe(true);
    expect(clean.includes('Paris')).toBe(false);
    expect(clean.includes('shot at home')).toBe(false);
  });

  it('drops what comes after the end of the image, where phones append extra pictures with their own Exif', () => {
    const appended = tinyJpeg({ metadata: [jpegExifSegment()] });
    const original = tinyJpeg({ trailer: appended });
    const clean = stripped('image/jpeg', original);
    expect(clean).toEqual(tinyJpeg());
    expectNoLocation(clean);
  });

  it('walks stuffed bytes and restart markers in the scan, and segments between scans', () => {
    const base = tinyJpeg();
    const scanAt = base.indexOf(Buffer.from([0xff, 0xda]));
    const scanHeaderEnd = scanAt + 2 + base.readUInt16BE(scanAt + 2);
    const secondScan = Buffer.concat([
      Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, ...new Array(15).fill(0), 0x00]),
      base.subarray(scanAt, scanHeaderEnd),
      Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]),
    ]);
    const xmpBetweenScans = jpegXmpSegment();
    const original = Buffer.concat([
      base.subarray(0, -2),
      Buffer.from([0xff, 0x00]),
      xmpBetweenScans,
      secondScan,
      Buffer.from([0xff, 0xd9]),
    ]);
    const clean = stripped('image/jpeg', original);
    expect(clean).toEqual(Buffer.concat([base.subarray(0, -2), Buffer.from([0xff, 0x00]), secondScan, Buffer.from([0xff, 0xd9])]));
    expectNoLocation(clean);
  });

  it('refuses a JPEG it cannot walk rather than store it as it came', () => {
    const whole = tinyJpeg({ metadata: [jpegExifSegment()] });
    expect(stripLocation('image/jpeg', whole.subarray(0, 40))).toEqual({ ok: false, reason: expect.stringContaining('runs past the end') });
    expect(stripLocation('image/jpeg', whole.subarray(0, -2))).toEqual({ ok: false, reason: expect.stringContaining('cut short') });
    expect(stripLocation('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toEqual({ ok: false, reason: 'a JPEG with no image data' });
    expect(stripLocation('image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('not a segment')]))).toMatchObject({
      ok: false,
    });
  });
});

describe('stripLocation: PNG', () => {
  it('drops eXIf and the text chunks (XMP included), keeps rendering chunks and the image data', () => {
    const original = tinyPng({ metadata: [pngExifChunk(), pngXmpChunk(), pngTextChunk('Comment', 'taken at 48.8582N 2.2945E')] });
    expect(pngChunkTypes(original)).toEqual(['IHDR', 'sRGB', 'eXIf', 'iTXt', 'tEXt', 'IDAT', 'IEND']);
    const clean = stripped('image/png', original);
    expect(pngChunkTypes(clean)).toEqual(['IHDR', 'sRGB', 'IDAT', 'IEND']);
    expect(clean).toEqual(tinyPng());
    expectNoLocation(clean);
    expect(clean.includes('48.8582')).toBe(false);
  });

  it('drops what follows IEND and unknown ancillary chunks, and refuses a PNG it cannot walk', () => {
    const unknown = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('gpSxabc', 'latin1'), Buffer.alloc(4)]);
    const clean = stripped('image/png', Buffer.concat([tinyPng({ metadata: [unknown] }), Buffer.from('trailing secrets')]));
    expect(clean).toEqual(tinyPng());
    expect(stripLocation('image/png', tinyPng().subarray(0, 30))).toMatchObject({ ok: false });
    expect(stripLocation('image/png', tinyPng().subarray(0, -12))).toEqual({ ok: false, reason: 'a PNG cut short before its IEND chunk' });
  });
});

describe('stripLocation: WebP', () => {
  it('drops the EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size', () => {
    const original = tinyWebpWithLocation();
    expect(webpChunks(original)).toEqual(['VP8X', 'VP8L', 'EXIF', 'XMP ']);
    const clean = stripped('image/webp', original);
    expect(webpChunks(clean)).toEqual(['VP8X', 'VP8L']);
    expect(clean.readUInt32LE(4)).toBe(clean.length - 8);
    expect(clean[12 + 8]).toBe(0x10); // alpha stays announced, EXIF and XMP no longer
    expectNoLocation(clean);
    expect(detectEvidenceType(clean)).toBe('image/webp');
  });

  it('leaves a simple WebP as it is and refuses one without image data', () => {
    expect(stripped('image/webp', tinyWebp())).toEqual(tinyWebp());
    const exifOnly = Buffer.concat([Buffer.from('RIFF\x0c\0\0\0WEBPEXIF\0\0\0\0', 'latin1')]);
    expect(stripLocation('image/webp', exifOnly)).toEqual({ ok: false, reason: 'a WebP with no image data' });
    expect(stripLocation('image/webp', tinyWebp().subarray(0, 20))).toMatchObject({ ok: false });
  });
});

describe('stripLocation: MP4', () => {
  it('turns the metadata boxes into free space of the same size, so nothing moves', () => {
    const original = tinyMp4();
    expect(original.includes(ISO6709_LOCATION)).toBe(true);
    const clean = stripped('video/mp4', original);
    expect(clean.length).toBe(original.length);
    expectNoLocation(clean);
    expect(clean.includes('com.apple.quicktime.location')).toBe(false);
    expect(clean.subarray(clean.indexOf('mdat') - 4)).toEqual(original.subarray(original.indexOf('mdat') - 4));
    expect(clean.subarray(0, 32)).toEqual(original.subarray(0, 32));
    expect(original.includes('free')).toBe(false);
    expect(clean.includes('free')).toBe(true);
  });

  it('leaves a video without metadata as it is and refuses one whose boxes overrun', () => {
    expect(stripped('video/mp4', tinyMp4({ location: false }))).toEqual(tinyMp4({ location: false }));
    const truncated = tinyMp4().subarray(0, 100);
    expect(stripLocation('video/mp4', truncated)).toEqual({ ok: false, reason: expect.stringContaining('"moov" box runs past') });
  });
});

function tiffWithOrientation(orientation: number): Buffer {
  return Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
}
