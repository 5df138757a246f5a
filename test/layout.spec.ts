import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The one service layout of docs/architecture.md ("Layout"), checked on every file of every app,
 * so a new service or feature cannot start a second way of placing things.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appFiles = execFileSync('git', ['ls-files', 'apps'], { cwd: REPO, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file.endsWith('.ts'));
const sources = appFiles.filter((file) => !file.endsWith('.spec.ts'));
const read = (file: string): string => fs.readFileSync(path.join(REPO, file), 'utf8');
const apps = [...new Set(appFiles.map((file) => file.split('/')[1]))];

/** The files among `files` whose text matches `pattern` and whose name breaks `rule`. */
const offenders = (files: string[], pattern: RegExp, rule: (file: string) => boolean): string[] =>
  files.filter((file) => pattern.test(read(file)) && !rule(file));

describe('the one service layout', () => {
  it('gives every app a main.ts and a service.ts, and no app-wide module', () => {
    expect(apps.length).toBeGreaterThanOrEqual(6);
    for (const app of apps) {
      expect(appFiles, app).toContain(`apps/${app}/src/main.ts`);
      expect(appFiles, app).toContain(`apps/${app}/src/service.ts`);
    }
    expect(appFiles.filter((file) => file.endsWith('app.module.ts'))).toEqual([]);
  });

  it('keeps code in feature folders: only the entry points and cross-feature integration specs sit at src/', () => {
    const atRoot = appFiles.filter((file) => /^apps\/[^/]+\/src\/[^/]+$/.test(file));
    expect(atRoot.filter((file) => !/\/(main|service)\.ts$|\.integration\.spec\.ts$/.test(file))).toEqual([]);
  });

  it('names a Nest module after its feature folder', () => {
    const misnamed = offenders(sources, /@Module\(/, (file) => {
      const [folder, name] = file.split('/').slice(-2);
      return name === `${folder}.module.ts`;
    });
    expect(misnamed).toEqual([]);
  });

  it('puts one entity in each *.entity.ts file, and entities nowhere else', () => {
    expect(offenders(sources, /@Entity\(/, (file) => file.endsWith('.entity.ts'))).toEqual([]);
    const crowded = sources.filter((file) => file.endsWith('.entity.ts') && (read(file).match(/@Entity\(/g) ?? []).length !== 1);
    expect(crowded).toEqual([]);
  });

  it('keeps every migration in the service migrations folder, named <epoch-ms>-<what>.ts', () => {
    const migrations = sources.filter((file) => /implements MigrationInterface/.test(read(file)));
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.filter((file) => !/^apps\/[^/]+\/src\/migrations\/\d{13}-[a-z0-9-]+\.ts$/.test(file))).toEqual([]);
  });

  it('handles events only in *.handler.ts, routes HTTP only in *.controller.ts', () => {
    expect(offenders(sources, /@OnEvent\(/, (file) => file.endsWith('.handler.ts'))).toEqual([]);
    expect(offenders(sources, /@(Get|Post|Put|Patch|Delete)\(/, (file) => file.endsWith('.controller.ts'))).toEqual([]);
  });

  it('defines problems only in *.problems.ts catalogues and timed jobs only in *.worker.ts', () => {
    expect(offenders(sources, /\bdefineProblems\(/, (file) => file.endsWith('.problems.ts'))).toEqual([]);
    expect(offenders(sources, /new ProblemException\(/, (file) => file.endsWith('.problems.ts'))).toEqual([]);
    expect(offenders(sources, /extends PeriodicWorker\b/, (file) => file.endsWith('.worker.ts'))).toEqual([]);
    // A timer loop of its own is a second way to run a job; a backoff's setTimeout is not a loop.
    expect(offenders(sources, /\bsetInterval\(/, () => false)).toEqual([]);
    const loneWorkers = sources.filter((file) =>
      [...read(file).matchAll(/class \w+(Worker|Sweeper|Purger)\b([^{]*)\{/g)].some((match) => !/extends PeriodicWorker\b/.test(match[2])),
    );
    expect(loneWorkers).toEqual([]);
  });

  it('maps money columns with MoneyColumn only', () => {
    const entities = sources.filter((file) => file.endsWith('.entity.ts'));
    const moneyByHand = entities.filter((file) => /@Column\('bigint'[^)]*_minor'/.test(read(file)));
    expect(moneyByHand).toEqual([]);
  });
});
