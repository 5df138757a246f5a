// The log files of what the launcher starts: one per start (the previous kept as .1), and their
// last lines quoted in errors.

import fs from 'node:fs';

/** Keeps a non-empty log as <file>.1 so that the next start writes a fresh one. */
export function rotateLog(file) {
  try {
    if (fs.statSync(file).size > 0) fs.renameSync(file, `${file}.1`);
  } catch {
    // no previous log
  }
}

/** The last `lines` lines of a file ('' when missing). */
export function tailFile(file, lines = 40) {
  try {
    const size = fs.statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    return lastLines(buffer.toString('utf8'), lines);
  } catch {
    return '';
  }
}

/** The last lines of a log, framed for an error message. */
export function tailSection(file, lines = 40) {
  const tail = tailFile(file, lines);
  return tail ? `--- last lines of ${file} ---\n${tail}\n--- end of ${file} ---` : `(${file} is empty or missing)`;
}

export function lastLines(text, lines) {
  return text.replace(/\s+$/, '').split('\n').slice(-lines).join('\n');
}
