import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import type { AuthenticatedUser } from './roles.js';

/**
 * The authenticated caller of the request in progress, for code that has no request at hand:
 * Upstreams puts the caller's roles into the service token of every internal call it makes.
 * Each request gets a fresh holder (an onRequest hook); the auth guard fills it.
 */
const storage = new AsyncLocalStorage<{ user?: AuthenticatedUser }>();

export function installCallerContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, _reply, done) => storage.run({}, done));
}

export function rememberCaller(user: AuthenticatedUser): void {
  const holder = storage.getStore();
  if (holder) holder.user = user;
}

export function currentCaller(): AuthenticatedUser | undefined {
  return storage.getStore()?.user;
}
