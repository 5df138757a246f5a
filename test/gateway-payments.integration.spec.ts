import { randomUUID } from 'node:crypto';
import { paymentSucceeded, Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import type { ServiceDefinition } from '@mallard/platform';
import {
  dropDatabase,
  eventually,
  freePort,
  queryDatabase,
  readTopic,
  serviceFetch,
  startTestService,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/index.js';
import { GatewayConfig } from '../apps/gateway/src/config/gateway-config.js';
import { configureGatewayHttp, GatewayEdgeModule } from '../apps/gateway/src/edge/index.js';
import { PaymentsGatewayModule } from '../apps/gateway/src/payments/payments.module.js';
import { UpstreamModule } from '../apps/gateway/src/upstream/upstream.module.js';
import { PaymentWebhooksModule } from '../apps/gateway/src/webhooks/webhooks.module.js';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';
import type { PaymentsConfig } from '../apps/payments/src/config/payments-config.js';
import { signAlipayParams } from '../apps/payments/src/providers/alipay/alipay-signature.js';
import { signSandboxPayload } from '../apps/payments/src/providers/sandbox/sandbox-signature.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { TEST_SANDBOX_SECRET } from '../apps/payments/src/testing/payments-test-kit.js';
import { fetchInContract } from './api-contract.js';

const JWT_SECRET = 'payments-gateway-spec-secret-000000000001';
const tokens = new AccessTokens({ secret: JWT_SECRET });
const bearer = (sub: string, role: 'shopper' | 'admin' | 'customer-service' = 'shopper') => ({
  authorization: `Bearer ${tokens.sign({ sub, roles: [role], ttlSeconds: 600 })}`,
});

/** The gateway as service.ts wires it, reduced to the modules under test. */
const gatewayUnderTest: ServiceDefinition<GatewayConfig> = defineEventDrivenService<GatewayConfig>({
  name: 'gateway-payments-spec',
  // The public edge, like gatewayService: it signs its calls to payments rather than verifying.
  exposure: 'edge',
  config: GatewayConfig,
  rawBody: true,
  features: (config) => [
    GatewayEdgeModule.forRoot({ jwtSecret: config.jwtSecret, rateLimitPerMinute: 0 }),
    UpstreamModule,
    PaymentsGatewayModule,
    PaymentWebhooksModule,
  ],
  beforeListen: (app) => configureGatewayHttp(app),
});

describe('gateway: payments routes and provider webhooks, with the payments service on real Kafka and PostgreSQL', () => {
  let payments: TestService<PaymentsConfig>;
  let orders: TestService;
  let gateway: TestService<GatewayConfig>;
  // One unit costs 1.00 and shipping is free, so an order of n units is payable n × 100.
  const UNIT = `sku-unit-${uniqueSuffix()}`;

  /** Places an order in orders (the gateway sends orders' copy of it with every payment). */
  const placeOrder = async (buyerId: string, payableMinor: number): Promise<string> => {
    const response = await serviceFetch(`${orders.url}/internal/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mallard-buyer': buyerId, 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        lines: [{ skuId: UNIT, quantity: payableMinor / 100 }],
        receiver: { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } },
        paymentMethod: 'ONLINE',
      }),
    });
    expect(response.status).toBe(201);
    const order = (await response.json()) as { id: string; amounts: { payable: number } };
    expect(order.amounts.payable).toBe(payableMinor);
    return order.id;
  };
  let alipayKeys: { privateKey: string; publicKey: string };

  beforeAll(async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    alipayKeys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const gatewayPort = await freePort();
    payments = await startTestService(paymentsService, {
      SANDBOX_ENABLED: 'true',
      SANDBOX_WEBHOOK_SECRET: TEST_SANDBOX_SECRET,
      SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/api/v1/webhooks/payments/sandbox`,
      SANDBOX_AUTO_OUTCOME: 'succeed',
      SANDBOX_CALLBACK_DELAY_MS: '100',
      ALIPAY_APP_ID: '2021000000000001',
      ALIPAY_PRIVATE_KEY: alipayKeys.privateKey,
      // In the test Alipay's key pair is ours: the test signs notifications as Alipay would.
      ALIPAY_PUBLIC_KEY: alipayKeys.publicKey,
    });
    orders = await startTestService(ordersService, { SHIPPING_FEE_MINOR: '0' });
    await seedCatalog(orders, [catalogSku(UNIT, { name: 'One unit', priceMinor: 100 })]);
    gateway = await startTestService(gatewayUnderTest, {
      PORT: String(gatewayPort),
      JWT_SECRET,
      PAYMENTS_URL: payments.url,
      ORDERS_URL: orders.url,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await payments?.stop();
    await orders?.stop();
    await Promise.all([gateway, payments, orders].map((service) => service && dropDatabase(service.databaseName)));
  });

  const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetchInContract(`${gateway.url}/api/v1${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

  it('pays an order through the sandbox end to end: gateway → payments → sandbox → signed webhook → gateway → payment.succeeded on Kafka', async () => {
    const orderId = await placeOrder('alice', 4_200);
    const issued = await api('/admin/gift-cards', {
      method: 'POST',
      headers: bearer('cs-1', 'customer-service'),
      body: JSON.stringify({ currency: 'CNY', amountMinor: 1_200 }),
    });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };

    const key = randomUUID();
    const body = JSON.stringify({
      tenders: [
        { type: 'GIFT_CARD', code, amountMinor: 1_200 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 3_000 },
      ],
    });
    const paid = await api(`/orders/${orderId}/payments`, {
      method: 'POST',
      headers: { ...bearer('alice'), 'idempotency-key': key },
      body,
    });
    expect(paid.status).toBe(201);
    const payment = (await paid.json()) as { id: string; state: string; clientAction: { type: string } };
    expect(payment.state).toBe('PENDING');
    expect(payment.clientAction.type).toBe('SANDBOX');

    const [event] = await readTopic(
      Topics.payments,
      1,
      20_000,
      (record) => record.key === orderId && record.headers.ce_type === paymentSucceeded.type,
    );
    expect(JSON.parse(event.value!)).toMatchObject({ orderId, paymentId: payment.id, amountMinor: 4_200, currency: 'CNY' });
    const trail = await api(`/admin/orders/${orderId}/money-trail`, { headers: bearer('cs-1', 'customer-service') });
    expect(trail.status).toBe(200);
    const money = (await trail.json()) as {
      payments: { state: string; providerEvents: { outcome: string }[] }[];
      giftCardEntries: unknown[];
    };
    expect(money.payments[0].state).toBe('SUCCEEDED');
    expect(money.payments[0].providerEvents.map((e) => e.outcome)).toEqual(['SUCCEEDED']);
    expect(money.giftCardEntries).toHaveLength(1);

    // A retry with the same key gets the first answer; the same key on another body is refused.
    const retry = await api(`/orders/${orderId}/payments`, {
      method: 'POST',
      headers: { ...bearer('alice'), 'idempotency-key': key },
      body,
    });
    expect(((await retry.json()) as { id: string }).id).toBe(payment.id);
    // Another shopper cannot pay (or see) Alice's order.
    const mallory = await api(`/orders/${orderId}/payments`, {
      method: 'POST',
      headers: { ...bearer('mallory'), 'idempotency-key': randomUUID() },
      body,
    });
    expect(mallory.status).toBe(404);
    const card = (await (await api(`/gift-cards/${code}`, { headers: bearer('alice') })).json()) as { balanceMinor: number };
    expect(card.balanceMinor).toBe(0);
  });

  it('refuses forged and unknown-provider webhooks without changing anything, and keeps the webhook public', async () => {
    const raw = JSON.stringify({
      id: 'evt_forged',
      type: 'charge.succeeded',
      created: new Date().toISOString(),
      data: { intentId: 'sbx_pi_x', reference: 'P20261125000000001', amountMinor: 1, currency: 'CNY' },
    });
    const forged = await fetchInContract(`${gateway.url}/api/v1/webhooks/payments/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxPayload('a-guessed-secret-a-guessed-secret-00', raw) },
      body: raw,
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    const stripeUnconfigured = await fetchInContract(`${gateway.url}/api/v1/webhooks/payments/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{}',
    });
    expect(stripeUnconfigured.status).toBe(401);
    expect(
      (
        await fetchInContract(`${gateway.url}/api/v1/webhooks/payments/paypal`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(404);
    const [row] = await queryDatabase<{ n: number }>(
      payments.databaseName,
      `SELECT count(*)::int AS n FROM provider_event WHERE event_id = 'evt_forged'`,
    );
    expect(row.n).toBe(0);
  });

  it('takes an Alipay notification as a signed form, answers the literal "success", and applies it once', async () => {
    const orderId = await placeOrder('bob', 8_800);
    const paid = await api(`/orders/${orderId}/payments`, {
      method: 'POST',
      headers: { ...bearer('bob'), 'idempotency-key': randomUUID() },
      body: JSON.stringify({ tenders: [{ type: 'PROVIDER', provider: 'alipay', amountMinor: 8_800 }] }),
    });
    expect(paid.status).toBe(201);
    const payment = (await paid.json()) as { id: string; serial: string; clientAction: { type: string; url: string } };
    expect(payment.clientAction.type).toBe('ALIPAY_PAGE_PAY');
    expect(payment.clientAction.url).toContain('alipay.trade.page.pay');

    const params: Record<string, string> = {
      notify_time: '2026-11-25 10:00:00',
      notify_type: 'trade_status_sync',
      notify_id: `ntf-${randomUUID()}`,
      app_id: '2021000000000001',
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: `2026112522001${Date.now()}`,
      out_trade_no: payment.serial,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '88.00',
      subject: 'Mallard order',
      buyer_logon_id: '',
    };
    params.sign = signAlipayParams(params, alipayKeys.privateKey);
    const form = new URLSearchParams(params).toString();
    const send = (text: string) =>
      fetchInContract(`${gateway.url}/api/v1/webhooks/payments/alipay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: text,
      });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await send(form);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('success');
    }
    const tampered = await send(form.replace('total_amount=88.00', 'total_amount=0.01'));
    expect(tampered.status).toBe(401);
    const after = await eventually(
      () =>
        queryDatabase<{ state: string; provider_ref: string }>(
          payments.databaseName,
          'SELECT state, provider_ref FROM payment WHERE id = $1',
          [payment.id],
        ),
      ([row]) => row.state === 'SUCCEEDED',
    );
    expect(after[0].provider_ref).toBe(params.trade_no);
    const events = await queryDatabase<{ outcome: string }>(
      payments.databaseName,
      `SELECT outcome FROM provider_event WHERE provider = 'alipay' AND payment_id = $1`,
      [payment.id],
    );
    expect(events.map((e) => e.outcome)).toEqual(['SUCCEEDED']);
  });

  it('checks roles and validates bodies at the edge', async () => {
    const asShopper = await api('/admin/gift-cards', {
      method: 'POST',
      headers: bearer('alice'),
      body: JSON.stringify({ currency: 'CNY', amountMinor: 100 }),
    });
    expect(asShopper.status).toBe(403);
    const anonymous = await api('/me/points');
    expect(anonymous.status).toBe(401);
    const badTender = await api(`/orders/${randomUUID()}/payments`, {
      method: 'POST',
      headers: { ...bearer('alice'), 'idempotency-key': randomUUID() },
      body: JSON.stringify({ tenders: [{ type: 'POINTS', points: 10, provider: 'sandbox' }] }),
    });
    expect(badTender.status).toBe(400);
    const grant = await api('/admin/points/grants', {
      method: 'POST',
      headers: bearer('cs-1', 'customer-service'),
      body: JSON.stringify({ buyerId: 'carol', points: 300, reason: 'welcome', grantId: 'welcome-carol' }),
    });
    expect(grant.status).toBe(201);
    const again = await api('/admin/points/grants', {
      method: 'POST',
      headers: bearer('cs-1', 'customer-service'),
      body: JSON.stringify({ buyerId: 'carol', points: 300, reason: 'welcome', grantId: 'welcome-carol' }),
    });
    expect(again.status).toBe(200);
    const mine = (await (await api('/me/points', { headers: bearer('carol') })).json()) as { balance: number };
    expect(mine.balance).toBe(300);
    const doc = (await (await fetch(`${gateway.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/orders/{id}/payments', '/api/v1/admin/reconciliations', '/api/v1/webhooks/payments/{provider}']),
    );
    expect(doc.paths['/api/v1/webhooks/payments/{provider}'].post.security).toEqual([]);
  });
});
