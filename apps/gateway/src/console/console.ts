import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PATH = '/console';

/**
 * Scripts only from the gateway itself, no inline script or style, no plugin, no framing: the
 * page holds a bearer token, and this keeps injected markup from running or sending it anywhere.
 * Images and videos come from this origin or from blob: URLs, which only the page's own scripts
 * can make: evidence files need the bearer, which an <img> does not send, so the page fetches
 * them and shows the bytes it holds. data: is the empty icon index.html names.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  'media-src blob:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The browser libraries, as published ES modules. preact/hooks imports the bare name "preact",
 * which a browser resolves only through an import map, an inline script the policy above would
 * have to allow; the one import is pointed at the sibling file instead.
 */
function vendorFiles(): Record<string, Buffer> {
  const require = createRequire(import.meta.url);
  // Resolved through each package's exports; htm's ES module sits beside the file `require` gets.
  const hooks = fs.readFileSync(require.resolve('preact/hooks'), 'utf8');
  const relinked = hooks.replace(/from\s*(["'])preact\1/g, 'from"./preact.mjs"');
  if (relinked === hooks || /from\s*["']preact["']/.test(relinked)) {
    throw new Error('preact/hooks no longer imports "preact" as the console expects: check its vendored modules');
  }
  return {
    'vendor/preact.mjs': fs.readFileSync(require.resolve('preact')),
    'vendor/hooks.mjs': Buffer.from(relinked),
    'vendor/htm.mjs': fs.readFileSync(path.join(path.dirname(require.resolve('htm')), 'htm.mjs')),
  };
}

/** Every file the console serves, read once: a fixed set, so no request names a path on disk. */
export function loadConsoleFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const add = (name: string, body: Buffer): void => {
    const type = TYPES[path.extname(name)];
    if (!type) throw new Error(`the console does not serve ${name}: unknown file type`);
    files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  };
  for (const entry of fs.readdirSync(PUBLIC_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    add(path.relative(PUBLIC_DIR, full).split(path.sep).join('/'), fs.readFileSync(full));
  }
  for (const [name, body] of Object.entries(vendorFiles())) add(name, body);
  return files;
}

/**
 * The back-office console: static files on Fastify, outside Nest's routing like the API docs,
 * so no bearer is asked for them. The page itself sends the staff member's token with each API
 * call, where the guards and roles apply as for any client.
 */
export function setupConsole(app: INestApplication): void {
  const files = loadConsoleFiles();
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const index = files.get('index.html');
  if (!index) throw new Error('the console has no index.html');

  const send = (file: StaticFile, ifNoneMatch: string | undefined, reply: FastifyReply) => {
    void reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      // Revalidated each time: a deploy changes the files under the same names.
      .header('cache-control', 'no-cache')
      .header('etag', file.etag);
    if (ifNoneMatch === file.etag) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  };

  fastify.get(CONSOLE_PATH, (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
  fastify.get(`${CONSOLE_PATH}/`, (request, reply) => send(index, request.headers['if-none-match'], reply));
  fastify.get<{ Params: { '*': string } }>(`${CONSOLE_PATH}/*`, (request, reply) => {
    const file = files.get(request.params['*']);
    return file ? send(file, request.headers['if-none-match'], reply) : reply.callNotFound();
  });
}
