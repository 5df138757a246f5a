import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type RegisteredProblem, registeredProblems } from '@mallard/platform';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ERRORS_DOC = path.join(REPO, 'docs/errors.md');

/** Every `*.problems.ts` under apps/ and libs/, so a new catalogue is checked without editing this test. */
function problemFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : problemFiles(full);
    return entry.name.endsWith('.problems.ts') ? [full] : [];
  });
}

interface DocumentedProblem {
  owner: string;
  slug: string;
  status: number;
  title: string;
  when: string;
  line: number;
}

/** The rows of the tables under each "## `owner`" heading; other headings are prose. */
function documentedProblems(markdown: string): DocumentedProblem[] {
  const rows: DocumentedProblem[] = [];
  let owner: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (text.startsWith('## ')) owner = /^## `([^`]+)`/.exec(text)?.[1];
    const row = /^\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|([^|]+)\|(.*)\|\s*$/.exec(text);
    if (!row) return;
    if (!owner) throw new Error(`docs/errors.md:${index + 1}: a problem row outside an owner's section`);
    rows.push({ owner, slug: row[1], status: Number(row[2]), title: row[3].trim(), when: row[4].trim(), line: index + 1 });
  });
  return rows;
}

const key = (problem: { owner: string; slug: string }) => `${problem.owner} ${problem.slug}`;

describe('docs/errors.md', () => {
  let registered: RegisteredProblem[];
  let documented: DocumentedProblem[];

  beforeAll(async () => {
    const files = [...problemFiles(path.join(REPO, 'apps')), ...problemFiles(path.join(REPO, 'libs'))];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await import(pathToFileURL(file).href);
    registered = registeredProblems();
    documented = documentedProblems(fs.readFileSync(ERRORS_DOC, 'utf8'));
  });

  it('sees the platform catalogues', () => {
    const owners = new Set(registered.map((problem) => problem.owner));
    expect(owners).toContain('platform');
    expect(owners).toContain('http');
    expect(registered.map((problem) => problem.slug)).toEqual(expect.arrayContaining(['validation-failed', 'not-found']));
  });

  it('lists every defined problem in its owner’s section, with its status and title', () => {
    const byKey = new Map(documented.map((row) => [key(row), row]));
    const wrong = registered.flatMap((problem) => {
      const row = byKey.get(key(problem));
      if (!row) return [`${problem.slug} (${problem.owner}) is missing from the \`${problem.owner}\` section`];
      const errors: string[] = [];
      if (row.status !== problem.status) errors.push(`line ${row.line}: ${problem.slug} is ${problem.status}, documented ${row.status}`);
      if (row.title !== problem.title)
        errors.push(`line ${row.line}: ${problem.slug} is titled "${problem.title}", documented "${row.title}"`);
      for (const member of problem.extensions) {
        if (!row.when.includes(`\`${member}\``)) errors.push(`line ${row.line}: ${problem.slug} does not name its member \`${member}\``);
      }
      return errors;
    });
    expect(wrong).toEqual([]);
  });

  it('lists only problems some catalogue defines, each once', () => {
    const defined = new Set(registered.map(key));
    const stray = documented.filter((row) => !defined.has(key(row))).map((row) => `line ${row.line}: ${row.slug} (${row.owner})`);
    expect(stray).toEqual([]);
    const keys = documented.map(key);
    expect(keys.filter((name, index) => keys.indexOf(name) !== index)).toEqual([]);
  });
});
