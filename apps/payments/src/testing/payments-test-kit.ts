import { randomUUID } from 'node:crypto';
import { type OrderPlacedV1, orderPlaced, type TenderRequest } from '@mallard/contracts';
import { eventually, queryDatabase, sendEvent, serviceFetch, startTestServiceBehindRelay, type TestService } from '@mallard/testing';
import { afterAll, beforeAll } from 'vitest';
import type { PaymentsConfig } from '../config/payments-config.js';
import type { PaymentView } from '../payment/payment.view.js';
import type { SandboxWebhook } from '../providers/sandbox/sandbox.provider.js';
import { signSandboxPayload } from '../providers/sandbox/sandbox-signature.js';
import { paymentsService } from '../service.js';

/** Helpers shared by the payments and gateway integration specs. */

export const TEST_SANDBOX_SECRET = 'payments-spec-sandbox-secret-0123456789abcdef';

export interface SandboxPayments {
  service: TestService<PaymentsConfig>;
  /** Where a test posts a sandbox callback itself (postSandboxWebhook signs it as the gateway would). */
  webhookUrl: string;
  /** Stops payments and the relay, and drops the database. */
  stop(): Promise<void>;
}

/**
 * Payments with the sandbox provider on and nothing decided by itself (SANDBOX_AUTO_OUTCOME
 * none): the sandbox's own callbacks go through a stand-in for the gateway's webhook route,
 * which signs what it forwards. `env` adds or overrides settings.
 */
export async function startPaymentsWithSandbox(env: Record<string, string> = {}): Promise<SandboxPayments> {
  const { service, stop } = await startTestServiceBehindRelay(paymentsService, (relayUrl) => ({
    SANDBOX_ENABLED: 'true',
    SANDBOX_WEBHOOK_SECRET: TEST_SANDBOX_SECRET,
    SANDBOX_WEBHOOK_URL: `${relayUrl}/internal/webhooks/sandbox`,
    SANDBOX_AUTO_OUTCOME: 'none',
    PAYMENTS_WORKER_INTERVAL_MS: '100',
    ...env,
  }));
  return { service, webhookUrl: `${service.url}/internal/webhooks/sandbox`, stop };
}

/** Payments with the sandbox for one describe block, and the calls its tests make on it. */
export interface PaymentsUnderTest {
  readonly service: TestService<PaymentsConfig>;
  /** payments' own base URL (calls are signed like the gateway's, see serviceFetch). */
  readonly url: string;
  readonly webhookUrl: string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  paymentOf(paymentId: string): Promise<PaymentView>;
}

/**
 * Starts payments with the sandbox (see startPaymentsWithSandbox) before the describe block's
 * tests and stops it after them. Call it in the describe block; read the fields inside tests,
 * since they exist only once beforeAll has run.
 */
export function usePaymentsWithSandbox(env: Record<string, string> = {}): PaymentsUnderTest {
  let sandbox: SandboxPayments | undefined;
  const started = (): SandboxPayments => {
    if (!sandbox) throw new Error('payments is not started yet: read it inside a test, not while the describe block is collected');
    return sandbox;
  };
  beforeAll(async () => {
    sandbox = await startPaymentsWithSandbox(env);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  return {
    get service() {
      return started().service;
    },
    get url() {
      return started().service.url;
    },
    get webhookUrl() {
      return started().webhookUrl;
    },
    sql: <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
      queryDatabase<T>(started().service.databaseName, text, params),
    paymentOf: async (paymentId: string) =>
      (await (await serviceFetch(`${started().service.url}/internal/payments/${paymentId}`)).json()) as PaymentView,
  };
}

/** An order as orders placed it, due in an hour: what order.placed carries, and the copy of it the gateway brings along. */
export function placedOrder(orderId: string, buyerId: string, payableMinor: number, currency = 'CNY') {
  const placedAt = new Date();
  return {
    orderId,
    buyerId,
    currency,
    payableMinor,
    placedAt: placedAt.toISOString(),
    paymentDueAt: new Date(placedAt.getTime() + 3_600_000).toISOString(),
  };
}

/** The data of an order.placed for an order of one line. */
export function orderPlacedData(orderId: string, buyerId: string, payableMinor: number, currency = 'CNY'): OrderPlacedV1 {
  return {
    ...placedOrder(orderId, buyerId, payableMinor, currency),
    lines: [
      {
        lineId: randomUUID(),
        skuId: 'SKU-PAY',
        merchantId: 'mall',
        fulfilmentType: 'SELF_OPERATED',
        stockPolicy: 'RESERVE_ON_ORDER',
        quantity: 1,
        paidAmountMinor: payableMinor,
      },
    ],
  };
}

/** Places an order "in orders": its order.placed on Kafka, then waits until payments knows it. */
export async function placeOrder(payments: TestService, buyerId: string, payableMinor: number, currency = 'CNY'): Promise<string> {
  const orderId = randomUUID();
  await sendEvent(orderPlaced, orderId, orderPlacedData(orderId, buyerId, payableMinor, currency));
  await eventually(
    () =>
      queryDatabase<{ n: number }>(payments.databaseName, 'SELECT count(*)::int AS n FROM payable_order WHERE order_id = $1', [orderId]),
    ([row]) => row.n === 1,
  );
  return orderId;
}

export function payRequest(
  baseUrl: string,
  orderId: string,
  buyerId: string,
  tenders: Partial<TenderRequest>[],
  key: string = randomUUID(),
): Promise<Response> {
  return postPayment(baseUrl, orderId, { 'x-mallard-buyer': buyerId, 'idempotency-key': key }, tenders);
}

/** Pays as the gateway does when it brings orders' copy of the order (x-mallard-order), so order.placed need not have arrived. */
export function payWithOrdersCopy(
  baseUrl: string,
  orderId: string,
  buyerId: string,
  ordersCopy: object,
  tenders: object[],
): Promise<Response> {
  return postPayment(
    baseUrl,
    orderId,
    { 'x-mallard-buyer': buyerId, 'idempotency-key': randomUUID(), 'x-mallard-order': JSON.stringify(ordersCopy) },
    tenders,
  );
}

function postPayment(baseUrl: string, orderId: string, headers: Record<string, string>, tenders: object[]): Promise<Response> {
  return serviceFetch(`${baseUrl}/internal/orders/${orderId}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ tenders }),
  });
}

export function sandboxWebhook(
  type: SandboxWebhook['type'],
  reference: string,
  intentId: string,
  amountMinor: number,
  id = `evt_test_${randomUUID()}`,
): SandboxWebhook {
  return { id, type, created: new Date().toISOString(), data: { intentId, reference, amountMinor, currency: 'CNY' } };
}

export function postSandboxWebhook(url: string, webhook: SandboxWebhook, secret = TEST_SANDBOX_SECRET): Promise<Response> {
  const body = JSON.stringify(webhook);
  return serviceFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Sandbox-Signature': signSandboxPayload(secret, body) },
    body,
  });
}

export async function issueGiftCard(baseUrl: string, amountMinor: number, currency = 'CNY', extra: object = {}): Promise<string> {
  const response = await serviceFetch(`${baseUrl}/internal/gift-cards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ currency, amountMinor, ...extra }),
  });
  if (response.status !== 201) throw new Error(`gift card not issued: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { code: string }).code;
}

export async function grantPoints(baseUrl: string, buyerId: string, points: number): Promise<void> {
  const response = await serviceFetch(`${baseUrl}/internal/points/grants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ buyerId, points, reason: 'test grant' }),
  });
  if (response.status !== 201) throw new Error(`points not granted: ${response.status} ${await response.text()}`);
}
