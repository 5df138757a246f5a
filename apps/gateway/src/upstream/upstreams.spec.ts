import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '@mallard/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayConfig } from '../config/gateway-config.js';
import { Upstreams } from './upstreams.js';

/** The gateway's settings with these URLs (a database name is required of every service). */
const gatewayConfig = (urls: Record<string, string>): GatewayConfig =>
  loadConfig(GatewayConfig, { PORT: '3000', DATABASE_NAME: 'mallard_gateway', ...urls });

/** An instance of a service that answers which instance it is. */
async function instance(name: string): Promise<{ url: string; server: Server; calls: number }> {
  const state = { url: '', server: createServer(), calls: 0 };
  state.server.on('request', (_request, response) => {
    state.calls += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ instance: name }));
  });
  state.server.listen(0, '127.0.0.1');
  await once(state.server, 'listening');
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

describe('the gateway’s calls to a service of several instances', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((close) => close()));
  });

  it('spreads over every URL of a comma-separated list', async () => {
    const [a, b] = await Promise.all([instance('a'), instance('b')]);
    closing.push(
      () => new Promise((resolve) => a.server.close(resolve)),
      () => new Promise((resolve) => b.server.close(resolve)),
    );
    const upstreams = new Upstreams(gatewayConfig({ ORDERS_URL: `${a.url}, ${b.url}` }));
    closing.unshift(() => upstreams.onApplicationShutdown());

    const answered = new Set<string>();
    for (let call = 0; call < 20; call += 1) {
      const response = await upstreams.call<{ instance: string }>('orders', { path: '/orders/x' });
      expect(response.status).toBe(200);
      answered.add(response.body.instance);
    }

    expect([...answered].sort()).toEqual(['a', 'b']);
    expect(a.calls + b.calls).toBe(20);
    expect(Math.min(a.calls, b.calls)).toBeGreaterThanOrEqual(5);
  });

  it('takes one URL as before, and refuses a list with a bad one', () => {
    expect(gatewayConfig({ ORDERS_URL: 'http://orders:3001' }).ORDERS_URL).toEqual(['http://orders:3001']);
    expect(gatewayConfig({}).PAYMENTS_URL).toEqual(['http://127.0.0.1:3003']);
    expect(() => gatewayConfig({ ORDERS_URL: 'http://orders:3001,orders-2:3001' })).toThrow(ConfigError);
    expect(() => gatewayConfig({ ORDERS_URL: ',' })).toThrow(ConfigError);
  });
});
