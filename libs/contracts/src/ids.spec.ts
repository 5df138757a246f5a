import { ParseUUIDPipe } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('makes distinct ids that sort in the order they were made, as PostgreSQL orders uuid (byte by byte)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      ids.push(newId());
      // Some ids across a millisecond boundary, most within one.
      if (i % 1_000 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(new Set(ids).size).toBe(ids.length);
    const byBytes = [...ids].sort((a, b) =>
      Buffer.compare(Buffer.from(a.replaceAll('-', ''), 'hex'), Buffer.from(b.replaceAll('-', ''), 'hex')),
    );
    expect(byBytes).toEqual(ids);
  });

  it('starts with the moment it was made, to the millisecond', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const made = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(made).toBeGreaterThanOrEqual(before);
    expect(made).toBeLessThanOrEqual(after);
    expect(id[14]).toBe('7');
  });

  it('passes the id checks of routes and request bodies (ParseUUIDPipe, @IsUUID)', async () => {
    const id = newId();
    expect(isUUID(id)).toBe(true);
    await expect(new ParseUUIDPipe().transform(id, { type: 'param' })).resolves.toBe(id);
  });
});
