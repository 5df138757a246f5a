import { describe, expect, it } from 'vitest';
import { type CpuProfile, formatSummary, packageOf, summarise } from '../bench/cpu-profile-summary.js';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

/** root → main (orders) → placement → pg query; root → (idle); samples 1 ms apart. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
    { id: 2, callFrame: frame('', 'file:///repo/apps/orders/src/main.ts'), children: [3] },
    { id: 3, callFrame: frame('place', 'file:///repo/apps/orders/src/placement/placement.service.ts', 49), children: [4] },
    { id: 4, callFrame: frame('query', 'file:///repo/node_modules/pg/lib/client.js', 9) },
    { id: 5, callFrame: frame('(idle)', '') },
  ],
  startTime: 0,
  endTime: 10_000,
  // t = 1000 … 10000 µs
  samples: [4, 4, 3, 5, 5, 5, 4, 3, 4, 5],
  timeDeltas: Array.from({ length: 10 }, () => 1000),
};

describe('cpu profile summary', () => {
  it('names the package, the repo feature folder, or Node’s part a frame belongs to', () => {
    expect(packageOf('file:///repo/node_modules/@nestjs/core/router/x.js', 'f')).toBe('@nestjs/core');
    expect(packageOf('file:///repo/node_modules/pg/lib/client.js', 'f')).toBe('pg');
    expect(packageOf('file:///repo/apps/orders/src/placement/placement.service.ts', 'f')).toBe('apps/orders/src/placement');
    expect(packageOf('node:internal/streams/writable', 'f')).toBe('node:internal');
    expect(packageOf('node:net', 'f')).toBe('node:net');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('adds up self and inclusive time per package and per function, finds the service, and leaves idle out of the busy share', () => {
    const summary = summarise(profile);
    expect(summary.service).toBe('orders');
    expect(summary.totalMicros).toBe(10_000);
    expect(summary.selfByPackage.get('pg')).toBe(4000);
    expect(summary.selfByPackage.get('apps/orders/src/placement')).toBe(2000);
    expect(summary.selfByPackage.get('(idle)')).toBe(4000);
    // pg's samples are under placement, so placement's inclusive time holds both.
    expect(summary.inclusiveByPackage.get('apps/orders/src/placement')).toBe(6000);
    expect(summary.selfByFunction.get('query pg:10')).toBe(4000);
    const text = formatSummary(summary, 5);
    expect(text).toContain('orders: 0.0 s sampled, 0.0 s of it busy');
    expect(text).toMatch(/4 ms\s+66\.7 %\s+pg/);
    expect(text).not.toContain('(idle)');
  });

  it('keeps only the window asked for, counted back from the end of the profile', () => {
    // The last 5 ms (t > 5000) without the final 2 ms (t > 8000): samples at 6000, 7000, 8000.
    const summary = summarise(profile, { last: 0.005, skipEnd: 0.002 });
    expect(summary.totalMicros).toBe(3000);
    expect(summary.selfByPackage.get('pg')).toBe(1000);
    expect(summary.selfByPackage.get('apps/orders/src/placement')).toBe(1000);
    expect(summary.selfByPackage.get('(idle)')).toBe(1000);
  });
});
