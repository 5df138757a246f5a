import { afterEach, describe, expect, it, vi } from 'vitest';
import { runRebuildReadModelCli } from './rebuild-read-model.cli.js';

describe('rebuild-read-model CLI', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses an argument it does not know before touching anything, and says how to call it', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runRebuildReadModelCli(['--allow-partial', '--yes'], {})).toBe(1);
    expect(String(stderr.mock.calls[0][0])).toMatch(/unknown argument --yes\nusage: npm run rebuild-read-model \[-- --allow-partial\]/);
  });

  it('exits 1 with the reason when the settings are wrong', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runRebuildReadModelCli([], { KAFKA_BROKERS: 'not a broker list' })).toBe(1);
    expect(String(stderr.mock.calls[0][0])).toMatch(/^rebuild-read-model: invalid configuration:[\s\S]*KAFKA_BROKERS/);
  });
});
