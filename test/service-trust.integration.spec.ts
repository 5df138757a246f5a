/**
 * The services answer internal routes only to the gateway. Each of the calls below is made
 * straight to a service, as anyone on the network could: with no token, a forged one, an
 * expired one, one for another service, one for another request and an unsigned one. Each
 * gets 401 problem+json and changes nothing; the same things done through the gateway work.
 */
import { randomUUID } from 'node:crypto';
import { type ServiceCaller, ServiceTokens } from '@mallard/platform';
import {
  dropDatabase,
  eventually,
  freePort,
  mintServiceToken,
  queryDatabase,
  serviceFetch,
  startTestService,
  TEST_SERVICE_TOKEN_SECRET,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/index.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { TEST_SANDBOX_SECRET } from '../apps/payments/src/testing/payments-test-kit.js';
import { fetchInContract } from './api-contract.js';

const JWT_SECRET = 'service-trust-spec-jwt-secret-00000000000001';
const bearer = new AccessTokens({ secret: JWT_SECRET });
const as = (sub: string, role: 'shopper' | 'admin') => ({
  authorization: `Bearer ${bearer.sign({ sub, roles: [role], ttlSeconds: 600 })}`,
});

const suffix = uniqueSuffix();
const KETTLE = catalogSku(`kettle-${suffix}`, { name: 'Kettle', priceMinor: 12_000 });
const receiver = {
  name: 'Alice Receiver',
  phone: '+8613800000000',
  address: { country: 'CN', city: 'Hangzhou', street: '1 West Lake Road' },
};

const forgedTokens = new ServiceTokens('an-attacker-guess-at-the-service-key-000000');
const expiredTokens = new ServiceTokens(TEST_SERVICE_TOKEN_SECRET, -120);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Every way a caller without the gateway's key might try: all must be refused. */
function badCredentials(audience: string, method: string, path: string, caller: ServiceCaller): [string, string | undefined][] {
  const now = Math.floor(Date.now() / 1000);
  return [
    ['no token', undefined],
    ['a forged token', `Bearer ${forgedTokens.sign({ audience, method, path, caller })}`],
    ['an expired token', `Bearer ${expiredTokens.sign({ audience, method, path, caller })}`],
    ['a token for another service', `Bearer ${mintServiceToken('inventory', method, path, caller)}`],
    ['a token for another request', `Bearer ${mintServiceToken(audience, 'GET', '/internal/points', caller)}`],
    [
      'an unsigned token (alg none)',
      `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: 'mallard-gateway', aud: audience, mth: method, pth: path, exp: now + 60, ...caller })}.`,
    ],
  ];
}

describe('service-to-service trust: only the gateway reaches internal routes', () => {
  let orders: TestService;
  let payments: TestService;
  let gateway: TestService;

  beforeAll(async () => {
    const gatewayPort = await freePort();
    orders = await startTestService(ordersService, { PAYMENT_WINDOW_SECONDS: '3600' });
    payments = await startTestService(paymentsService, {
      SANDBOX_ENABLED: 'true',
      SANDBOX_AUTO_OUTCOME: 'none',
      SANDBOX_CALLBACK_DELAY_MS: '50',
      SANDBOX_WEBHOOK_SECRET: TEST_SANDBOX_SECRET,
      SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/api/v1/webhooks/payments/sandbox`,
    });
    gateway = await startTestService(gatewayService, {
      PORT: String(gatewayPort),
      JWT_SECRET,
      ORDERS_URL: orders.url,
      PAYMENTS_URL: payments.url,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    await seedCatalog(orders, [KETTLE]);
  });

  afterAll(async () => {
    for (const service of [gateway, payments, orders]) await service?.stop();
    await Promise.all([gateway, payments, orders].filter(Boolean).map((service) => dropDatabase(service.databaseName)));
  });

  const api = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetchInContract(`${gateway.url}/api/v1${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  /** Straight to a service, past the gateway, with whatever headers an attacker chooses. */
  const direct = async (
    url: string,
    method: string,
    authorization: string | undefined,
    headers: Record<string, string> = {},
    body?: unknown,
  ) => {
    const response = await fetch(url, {
      method,
      headers: {
        ...headers,
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };

  const pointsOf = async (buyer: string): Promise<number> => (await api('GET', '/me/points', as(buyer, 'shopper'))).body.balance;

  it('refuses to mint points: POST payments /internal/points/grants', async () => {
    const mallory = `mallory-${suffix}`;
    const path = '/internal/points/grants';
    for (const [how, authorization] of badCredentials('payments', 'POST', path, { actor: 'ops' })) {
      const answer = await direct(
        `${payments.url}${path}`,
        'POST',
        authorization,
        { 'x-mallard-actor': 'ops' },
        { buyerId: mallory, points: 1_000_000, reason: 'free money' },
      );
      expect({ how, status: answer.status, type: answer.type }).toEqual({
        how,
        status: 401,
        type: expect.stringContaining('application/problem+json'),
      });
    }
    expect(await pointsOf(mallory)).toBe(0);
    const ledgerRows = await queryDatabase<{ n: number }>(
      payments.databaseName,
      'SELECT count(*)::int AS n FROM points_entry WHERE buyer_id = $1',
      [mallory],
    );
    expect(ledgerRows[0].n).toBe(0);

    // Through the gateway, staff can.
    const granted = await api('POST', '/admin/points/grants', as('ops', 'admin'), { buyerId: mallory, points: 50, reason: 'welcome' });
    expect(granted.status).toBe(201);
    expect(await pointsOf(mallory)).toBe(50);
  });

  it('refuses to show an order: GET orders /internal/orders/<id>', async () => {
    const placed = await api('POST', '/orders', as('alice', 'shopper'), {
      lines: [{ skuId: KETTLE.skuId, quantity: 1 }],
      receiver,
      paymentMethod: 'ONLINE',
    });
    expect(placed.status).toBe(201);
    const path = `/internal/orders/${placed.body.id}`;
    for (const [how, authorization] of badCredentials('orders', 'GET', path, {})) {
      const answer = await direct(`${orders.url}${path}`, 'GET', authorization);
      expect({ how, status: answer.status, type: answer.type }).toEqual({
        how,
        status: 401,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(answer.text).not.toContain(receiver.name);
    }
    // The owner, through the gateway, sees it; another shopper does not.
    const mine = await api('GET', `/orders/${placed.body.id}`, as('alice', 'shopper'));
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(receiver.name);
    expect((await api('GET', `/orders/${placed.body.id}`, as('bob', 'shopper'))).status).toBe(404);
  });

  it('refuses to settle a sandbox charge: POST payments /internal/sandbox/charges/<id>/succeed; the provider callback still arrives through the gateway', async () => {
    const placed = await api('POST', '/orders', as('carol', 'shopper'), {
      lines: [{ skuId: KETTLE.skuId, quantity: 1 }],
      receiver,
      paymentMethod: 'ONLINE',
    });
    expect(placed.status).toBe(201);
    const payable = placed.body.amounts.payable as number;
    const paid = await api('POST', `/orders/${placed.body.id}/payments`, as('carol', 'shopper'), {
      tenders: [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: payable }],
    });
    expect(paid.status).toBe(201);
    expect(paid.body.state).toBe('PENDING');
    const paymentId = paid.body.id as string;
    const intentId = paid.body.clientAction.intentId as string;

    const path = `/internal/sandbox/charges/${intentId}/succeed`;
    for (const [how, authorization] of badCredentials('payments', 'POST', path, {})) {
      const answer = await direct(`${payments.url}${path}`, 'POST', authorization);
      expect({ how, status: answer.status, type: answer.type }).toEqual({
        how,
        status: 401,
        type: expect.stringContaining('application/problem+json'),
      });
    }
    const stateOf = async () =>
      ((await (await serviceFetch(`${payments.url}/internal/payments/${paymentId}`)).json()) as { state: string }).state;
    expect(await stateOf()).toBe('PENDING');

    // Settled by someone holding a service token, the sandbox calls back through the gateway's
    // public webhook route, which signs what it forwards to payments: the payment succeeds.
    expect((await serviceFetch(`${payments.url}${path}`, { method: 'POST' })).status).toBeLessThan(300);
    await eventually(stateOf, (state) => state === 'SUCCEEDED');
  });

  it('refuses a payable amount set by the caller: x-mallard-order on POST payments /internal/orders/<id>/payments', async () => {
    const mallory = `mallory-order-${suffix}`;
    expect(
      (await api('POST', '/admin/points/grants', as('ops', 'admin'), { buyerId: mallory, points: 1, reason: 'one point' })).status,
    ).toBe(201);
    const orderId = randomUUID();
    const now = new Date();
    const snapshot = JSON.stringify({
      orderId,
      buyerId: mallory,
      currency: 'CNY',
      payableMinor: 1,
      placedAt: now.toISOString(),
      paymentDueAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });
    const path = `/internal/orders/${orderId}/payments`;
    const loose = { 'x-mallard-buyer': mallory, 'x-mallard-order': snapshot, 'idempotency-key': randomUUID() };
    const body = { tenders: [{ type: 'POINTS', points: 1 }] };
    for (const [how, authorization] of badCredentials('payments', 'POST', path, {
      buyer: mallory,
      order: snapshot,
      idempotencyKey: loose['idempotency-key'],
    })) {
      const answer = await direct(`${payments.url}${path}`, 'POST', authorization, loose, body);
      expect({ how, status: answer.status, type: answer.type }).toEqual({
        how,
        status: 401,
        type: expect.stringContaining('application/problem+json'),
      });
    }
    // Even with a genuine token for this very request, a snapshot the gateway did not sign is
    // dropped: payments does not know the order and takes nothing.
    const genuine = `Bearer ${mintServiceToken('payments', 'POST', path, { buyer: mallory, idempotencyKey: loose['idempotency-key'] })}`;
    const answer = await direct(`${payments.url}${path}`, 'POST', genuine, loose, body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);

    const known = await queryDatabase<{ n: number }>(
      payments.databaseName,
      'SELECT count(*)::int AS n FROM payable_order WHERE order_id = $1',
      [orderId],
    );
    expect(known[0].n).toBe(0);
    const paymentRows = await queryDatabase<{ n: number }>(
      payments.databaseName,
      'SELECT count(*)::int AS n FROM payment WHERE order_id = $1',
      [orderId],
    );
    expect(paymentRows[0].n).toBe(0);
    expect(await pointsOf(mallory)).toBe(1);
  });

  it('drops caller headers sent beside a genuine token: the token says who the caller is', async () => {
    const path = '/internal/points';
    const token = `Bearer ${mintServiceToken('payments', 'GET', path, { buyer: 'nobody-in-particular' })}`;
    const answer = await direct(`${payments.url}${path}`, 'GET', token, { 'x-mallard-buyer': `mallory-${suffix}` });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ balance: 0 });
  });

  it('keeps health and metrics open', async () => {
    for (const service of [orders, payments]) {
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
    }
  });
});
