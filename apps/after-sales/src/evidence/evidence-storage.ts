import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where evidence bytes are kept, addressed by their SHA-256: the same photo uploaded twice is
 * kept once, and a stored file can be checked against its name. The database keeps which
 * request a file belongs to; the storage knows nothing of requests.
 */
export interface EvidenceStorage {
  /** Stores the bytes (nothing is written when they are there already) and names them. */
  put(bytes: Uint8Array): Promise<{ sha256: string }>;
  /** The bytes stored under this hash, or null when there are none. */
  read(sha256: string): Promise<Buffer | null>;
}

/** The Nest token the storage is bound to: the local directory today, an object store later. */
export const EVIDENCE_STORAGE = Symbol('EvidenceStorage');

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * One file per content hash under a directory: `<dir>/<first two hex digits>/<sha256>`, the
 * fan-out keeping any one directory small. A file appears whole or not at all: it is written
 * to a temporary name, flushed, then renamed, so a crash mid-write leaves no half photo under
 * a hash. Two uploads of the same bytes at once both rename identical content into place.
 */
export class LocalDirectoryEvidenceStorage implements EvidenceStorage {
  private readonly directory: string;

  constructor(directory: string) {
    this.directory = path.resolve(directory);
  }

  async put(bytes: Uint8Array): Promise<{ sha256: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (await exists(target)) return { sha256 };
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temporary, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { sha256 };
  }

  async read(sha256: string): Promise<Buffer | null> {
    // Only a hash names a file: nothing a caller passes can point outside the directory.
    if (!SHA256_HEX.test(sha256)) return null;
    try {
      return await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private pathOf(sha256: string): string {
    return path.join(this.directory, sha256.slice(0, 2), sha256);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
