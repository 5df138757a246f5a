import { describe, expect, it } from 'vitest';
import {
  GPS_LATITUDE_RATIONALS,
  jpegExifSegment,
  pngExifChunk,
  tinyJpeg,
  tinyMp4,
  tinyPng,
  tinyWebpWithLocation,
} from './evidence-samples.js';
import { displayName, prepareEvidence } from './evidence-uploads.js';

const limits = { alreadyStored: 0, maxFileBytes: 1024 };

describe('prepareEvidence', () => {
  it('takes photos and videos by their content and takes their location out', () => {
    const result = prepareEvidence(
      [
        { filename: 'kettle.jpg', bytes: tinyJpeg({ metadata: [jpegExifSegment()] }) },
        { filename: 'box', bytes: tinyPng({ metadata: [pngExifChunk()] }) },
        { filename: 'label.webp', bytes: tinyWebpWithLocation() },
        { filename: 'unboxing.mp4', bytes: tinyMp4() },
      ],
      limits,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    expect(result.files.map((file) => [file.filename, file.contentType])).toEqual([
      ['kettle.jpg', 'image/jpeg'],
      ['box', 'image/png'],
      ['label.webp', 'image/webp'],
      ['unboxing.mp4', 'video/mp4'],
    ]);
    for (const file of result.files) expect(file.bytes.includes(GPS_LATITUDE_RATIONALS)).toBe(false);
  });

  it('refuses a text file named .jpg, saying what it looked like', () => {
    const result = prepareEvidence(
      [
        { filename: 'kettle.jpg', bytes: tinyJpeg() },
        { filename: 'receipt.jpg', bytes: Buffer.from('Paid 49.00 CNY, thank you!\n') },
      ],
      limits,
    );
    expect(result).toEqual({ ok: false, refusal: { kind: 'type-unsupported', filename: 'receipt.jpg', detected: 'a text file' } });
  });

  it('refuses a JPEG that cannot be walked, saying why', () => {
    const result = prepareEvidence([{ filename: 'cut.jpg', bytes: tinyJpeg().subarray(0, -2) }], limits);
    expect(result).toEqual({
      ok: false,
      refusal: { kind: 'type-unsupported', filename: 'cut.jpg', detected: 'a JPEG cut short before its end-of-image marker' },
    });
  });

  it('refuses a file over the size limit, or one the parser cut at it', () => {
    const big = Buffer.concat([tinyJpeg(), Buffer.alloc(1024)]);
    expect(prepareEvidence([{ filename: 'big.jpg', bytes: big }], limits)).toEqual({
      ok: false,
      refusal: { kind: 'too-large', filename: 'big.jpg', maxBytes: 1024 },
    });
    expect(prepareEvidence([{ filename: 'cut.jpg', bytes: tinyJpeg(), truncated: true }], limits)).toEqual({
      ok: false,
      refusal: { kind: 'too-large', filename: 'cut.jpg', maxBytes: 1024 },
    });
    expect(
      prepareEvidence([{ filename: 'exact.jpg', bytes: Buffer.concat([tinyJpeg(), Buffer.alloc(1024 - tinyJpeg().length)]) }], limits),
    ).toMatchObject({
      ok: true,
    });
  });

  it('counts the files the request has towards the nine', () => {
    const photo = { filename: 'p.jpg', bytes: tinyJpeg() };
    expect(prepareEvidence(new Array(9).fill(photo), limits)).toMatchObject({ ok: true });
    expect(prepareEvidence(new Array(10).fill(photo), limits)).toEqual({
      ok: false,
      refusal: { kind: 'limit-reached', limit: 9, alreadyStored: 0, uploaded: 10 },
    });
    expect(prepareEvidence([photo, photo], { ...limits, alreadyStored: 8 })).toEqual({
      ok: false,
      refusal: { kind: 'limit-reached', limit: 9, alreadyStored: 8, uploaded: 2 },
    });
  });
});

describe('displayName', () => {
  it('quotes the client’s name without control characters, cut at 100 characters', () => {
    expect(displayName('photo\u0000\n.jpg', 0)).toBe('photo.jpg');
    expect(displayName('x'.repeat(300), 0)).toHaveLength(100);
    expect(displayName(undefined, 2)).toBe('file 3');
    expect(displayName('  ', 0)).toBe('file 1');
  });
});
