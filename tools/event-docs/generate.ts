// `npm run docs:events`: writes docs/events.md and docs/asyncapi.yaml from the event registry.
// The payload classes' decorators read their metadata through this polyfill, as main.ts loads it.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { generateEventDocs, REPO_ROOT } from './event-docs.js';

for (const [file, text] of Object.entries(generateEventDocs())) {
  const target = path.join(REPO_ROOT, file);
  const unchanged = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
  if (!unchanged) fs.writeFileSync(target, text);
  console.log(`${unchanged ? 'unchanged' : 'wrote'} ${file}`);
}
