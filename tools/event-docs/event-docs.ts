import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsyncApi } from './asyncapi.js';
import { buildEventCatalog } from './event-catalog.js';
import { renderEventsMarkdown } from './events-markdown.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The generated files, by path from the repository root, with the text they must hold. */
export function generateEventDocs(root: string = REPO_ROOT): Record<string, string> {
  const catalog = buildEventCatalog();
  const preamble = fs.readFileSync(path.join(root, 'tools/event-docs/events-preamble.md'), 'utf8');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    'docs/events.md': renderEventsMarkdown(catalog, preamble),
    'docs/asyncapi.yaml': renderAsyncApi(catalog, { version }),
  };
}
