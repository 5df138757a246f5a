import { describe, expect, it } from 'vitest';
import { tinyJpeg, tinyMp4, tinyPng, tinyWebp, tinyWebpWithLocation } from './evidence-samples.js';
import { describeContent, detectEvidenceType } from './evidence-type.js';

const ftyp = (major: string, ...compatible: string[]) => {
  const body = Buffer.from(`${major}\0\0\0\0${compatible.join('')}`, 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return Buffer.concat([size, Buffer.from('ftyp', 'latin1'), body, Buffer.alloc(16)]);
};

describe('detectEvidenceType', () => {
  it('tells the four accepted kinds by their first bytes', () => {
    expect(detectEvidenceType(tinyJpeg())).toBe('image/jpeg');
    expect(detectEvidenceType(tinyPng())).toBe('image/png');
    expect(detectEvidenceType(tinyWebp())).toBe('image/webp');
    expect(detectEvidenceType(tinyWebpWithLocation())).toBe('image/webp');
    expect(detectEvidenceType(tinyMp4())).toBe('video/mp4');
  });

  it('takes MP4 by its major brand, or by an mp41/mp42 compatible brand', () => {
    expect(detectEvidenceType(ftyp('mp42', 'isom'))).toBe('video/mp4');
    expect(detectEvidenceType(ftyp('M4V ', 'M4V '))).toBe('video/mp4');
    expect(detectEvidenceType(ftyp('3gp5', 'mp42', 'isom'))).toBe('video/mp4');
  });

  it('refuses QuickTime, HEIC and AVIF although they share the box structure', () => {
    expect(detectEvidenceType(ftyp('qt  ', 'qt  ', 'mp42'))).toBeNull();
    expect(detectEvidenceType(ftyp('heic', 'mif1', 'heic'))).toBeNull();
    expect(detectEvidenceType(ftyp('avif', 'mif1', 'avif', 'miaf'))).toBeNull();
  });

  it('refuses a text file whatever it is called, and files too short to tell', () => {
    expect(detectEvidenceType(Buffer.from('these are my holiday photos, honest\n'))).toBeNull();
    expect(detectEvidenceType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(detectEvidenceType(Buffer.alloc(0))).toBeNull();
    expect(detectEvidenceType(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBeNull();
  });
});

describe('describeContent', () => {
  it('says what a refused file looked like', () => {
    expect(describeContent(Buffer.from('hello\r\n\tworld — ünïcode'))).toBe('a text file');
    expect(describeContent(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('a GIF image');
    expect(describeContent(Buffer.from('%PDF-1.7\n'))).toBe('a PDF document');
    expect(describeContent(ftyp('qt  '))).toBe('a QuickTime (MOV) video');
    expect(describeContent(ftyp('heic', 'mif1'))).toBe('a HEIC/HEIF image');
    expect(describeContent(Buffer.alloc(0))).toBe('an empty file');
    expect(describeContent(Buffer.from([0x00, 0x01, 0x02, 0xfe]))).toBe('an unrecognised binary file');
  });
});
