// `npm run docs:api`: writes docs/openapi.json, the gateway's OpenAPI document, from its
// controllers, and libs/client's types from that document.
// The DTOs' and controllers' decorators read their metadata through this polyfill, as main.ts loads it.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { CLIENT_TYPES_FILE, renderClientTypes } from './client-types.js';
import { generateOpenApiDocument, OPENAPI_DOC_FILE, REPO_ROOT, renderOpenApiJson } from './openapi-doc.js';

const document = await generateOpenApiDocument();
const outputs: [string, string][] = [
  [OPENAPI_DOC_FILE, renderOpenApiJson(document)],
  [CLIENT_TYPES_FILE, await renderClientTypes(document)],
];
for (const [file, text] of outputs) {
  const target = path.join(REPO_ROOT, file);
  const unchanged = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
  if (!unchanged) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  console.log(`${unchanged ? 'unchanged' : 'wrote'} ${file}`);
}
