// `npm run docs:api`: writes docs/openapi.json, the gateway's OpenAPI document, from its controllers.
// The DTOs' and controllers' decorators read their metadata through this polyfill, as main.ts loads it.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { generateOpenApiDocument, OPENAPI_DOC_FILE, REPO_ROOT, renderOpenApiJson } from './openapi-doc.js';

const text = renderOpenApiJson(await generateOpenApiDocument());
const target = path.join(REPO_ROOT, OPENAPI_DOC_FILE);
const unchanged = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
if (!unchanged) fs.writeFileSync(target, text);
console.log(`${unchanged ? 'unchanged' : 'wrote'} ${OPENAPI_DOC_FILE}`);
