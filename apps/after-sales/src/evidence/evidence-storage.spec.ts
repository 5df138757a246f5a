import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirectoryEvidenceStorage } from './evidence-storage.js';

describe('LocalDirectoryEvidenceStorage', () => {
  let directory: string;
  let storage: LocalDirectoryEvidenceStorage;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'evidence-storage-'));
    storage = new LocalDirectoryEvidenceStorage(directory);
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('keeps one file per content hash under a two-digit fan-out, and reads it back', async () => {
    const bytes = Buffer.from('a photo of a dented kettle');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(await storage.put(bytes)).toEqual({ sha256 });
    expect(await readFile(path.join(directory, sha256.slice(0, 2), sha256))).toEqual(bytes);
    expect(await storage.read(sha256)).toEqual(bytes);
  });

  it('stores the same bytes once however often and however concurrently they come, leaving no temporary file', async () => {
    const bytes = Buffer.from('the same photo, sent twice');
    const results = await Promise.all([storage.put(bytes), storage.put(bytes), storage.put(bytes)]);
    expect(new Set(results.map((result) => result.sha256)).size).toBe(1);
    await storage.put(bytes);
    const [fanOut] = await readdir(directory);
    expect(await readdir(path.join(directory, fanOut))).toEqual([results[0].sha256]);
  });

  it('answers null for a hash it does not hold, and for anything that is not a hash', async () => {
    expect(await storage.read('0'.repeat(64))).toBeNull();
    expect(await storage.read('../../etc/passwd')).toBeNull();
    expect(await storage.read('A'.repeat(64))).toBeNull();
  });
});
