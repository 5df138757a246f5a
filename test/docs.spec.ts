import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tracked = (): string[] =>
  execFileSync('git', ['ls-files', 'apps', 'libs', 'bench', 'deploy', 'test', 'docs', 'README.md'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

describe('docs the code cites', () => {
  it('cites the domain rules only from docs/domain.md, and only sections it has', () => {
    const domain = fs.readFileSync(path.join(REPO, 'docs/domain.md'), 'utf8');
    const sections = new Set([...domain.matchAll(/^## (\d+)\./gm)].map((match) => match[1]));
    expect(sections.size).toBeGreaterThanOrEqual(10);

    const outside: string[] = [];
    const dangling: string[] = [];
    for (const file of tracked().filter((name) => /\.(ts|mts|mjs|md|ya?ml)$/.test(name) && name !== 'test/docs.spec.ts')) {
      const text = fs.readFileSync(path.join(REPO, file), 'utf8');
      // The spec outside the repository is nobody's to read: the project's own account is the reference.
      if (/\bDOMAIN(\.md)? §|\.\.\/shared\//.test(text)) outside.push(file);
      for (const match of text.matchAll(/domain\.md\)? §(\d+)((?:, §\d+)*)/g)) {
        const cited = [match[1], ...[...match[2].matchAll(/§(\d+)/g)].map((m) => m[1])];
        for (const section of cited) if (!sections.has(section)) dangling.push(`${file}: §${section}`);
      }
    }
    expect(outside).toEqual([]);
    expect(dangling).toEqual([]);
  });

  it('shows in the README the client example the end-to-end tests run, word for word', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(REPO, 'libs/client/examples/checkout.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
