import { describe, expect, it } from 'vitest';
import { createMallardClient, type MallardClientOptions } from './mallard-client.js';
import { MallardProblemError, orThrow } from './problem.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './safe-retry.js';

const ORDER_ID = '0b9f2e4c-3f1a-4d55-9a58-1f7f3c2b9a10';
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
const problem = (status: number, slug: string) => ({ type: `https://mallard.dev/problems/${slug}`, title: slug, status });

/** A gateway that gives the listed answers in turn, and keeps what it was sent. */
function gateway(...answers: (Response | Error)[]) {
  const sent: { method: string; url: string; headers: Headers; body: string }[] = [];
  const fetch = async (request: Request) => {
    sent.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
    const answer = answers.shift();
    if (!answer) throw new Error('the test gave no answer for this request');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { sent, fetch };
}

const clientOf = (fake: ReturnType<typeof gateway>, options: Partial<MallardClientOptions> = {}) =>
  createMallardClient({ baseUrl: 'http://mall.test/', token: 'shopper-token', fetch: fake.fetch, retry: { baseDelayMs: 1 }, ...options });

const placeBody = {
  lines: [{ skuId: 'tea', quantity: 1 }],
  receiver: { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Suzhou', street: '1 Lane' } },
  paymentMethod: 'ONLINE' as const,
};

describe('createMallardClient', () => {
  it('signs with the bearer token and gives each call that takes one its own Idempotency-Key', async () => {
    const fake = gateway(json(201, { id: 'a' }), json(201, { id: 'b' }));
    const client = clientOf(fake);
    await client.POST('/api/v1/orders', { body: placeBody });
    await client.POST('/api/v1/orders', { body: placeBody });
    expect(fake.sent.map((request) => request.url)).toEqual(['http://mall.test/api/v1/orders', 'http://mall.test/api/v1/orders']);
    expect(fake.sent[0].headers.get('authorization')).toBe('Bearer shopper-token');
    const keys = fake.sent.map((request) => request.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(JSON.parse(fake.sent[0].body)).toEqual(placeBody);
  });

  it('keeps an Idempotency-Key the call gives, and adds none where the operation takes none', async () => {
    const fake = gateway(json(201, {}), json(200, {}));
    const client = clientOf(fake, { token: async () => 'fresh-token' });
    await client.POST('/api/v1/orders', { body: placeBody, params: { header: { 'Idempotency-Key': 'basket-42' } } });
    await client.POST('/api/v1/orders/{id}/cancel', { params: { path: { id: ORDER_ID } } });
    expect(fake.sent[0].headers.get('idempotency-key')).toBe('basket-42');
    expect(fake.sent[1].headers.has('idempotency-key')).toBe(false);
    expect(fake.sent[1].headers.get('authorization')).toBe('Bearer fresh-token');
    expect(fake.sent[1].url).toBe(`http://mall.test/api/v1/orders/${ORDER_ID}/cancel`);
  });

  it('retries a keyed request after a 503 with the same key and body, and gives the answer that came', async () => {
    const fake = gateway(json(503, problem(503, 'back-office-unavailable'), { 'retry-after': '0' }), json(201, { id: 'placed' }));
    const { data, error, response } = await clientOf(fake).POST('/api/v1/orders', { body: placeBody });
    expect(response.status).toBe(201);
    expect(error).toBeUndefined();
    expect(data?.id).toBe('placed');
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1].headers.get('idempotency-key')).toBe(fake.sent[0].headers.get('idempotency-key'));
    expect(fake.sent[1].body).toBe(fake.sent[0].body);
  });

  it('retries a read after a network failure and after a 429', async () => {
    const fake = gateway(new TypeError('fetch failed'), json(429, problem(429, 'too-many-requests')), json(200, { balance: 7 }));
    const { data } = await clientOf(fake).GET('/api/v1/me/points');
    expect(data?.balance).toBe(7);
    expect(fake.sent).toHaveLength(3);
  });

  it('never sends twice what is not safe to repeat, nor after a final answer', async () => {
    const cancel = gateway(json(503, problem(503, 'back-office-unavailable'), { 'retry-after': '0' }));
    const cancelled = await clientOf(cancel).POST('/api/v1/orders/{id}/cancel', { params: { path: { id: ORDER_ID } } });
    expect(cancelled.response.status).toBe(503);
    expect(cancel.sent).toHaveLength(1);

    const refused = gateway(json(502, problem(502, 'provider-failed')));
    const paid = await clientOf(refused).POST('/api/v1/orders/{id}/payments', {
      params: { path: { id: ORDER_ID } },
      body: { tenders: [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: 100 }] },
    });
    expect(paid.error?.type).toBe('https://mallard.dev/problems/provider-failed');
    expect(refused.sent).toHaveLength(1);

    const offline = gateway(new TypeError('fetch failed'));
    await expect(clientOf(offline, { retry: false }).GET('/api/v1/me/points')).rejects.toThrow('fetch failed');
    expect(offline.sent).toHaveLength(1);
  });

  it('gives up after the attempts of its policy with the last answer', async () => {
    const busy = () => json(503, problem(503, 'busy-try-again'), { 'retry-after': '0' });
    const fake = gateway(busy(), busy(), busy());
    const { error, response } = await clientOf(fake).GET('/api/v1/orders');
    expect(response.status).toBe(503);
    expect(error?.type).toMatch(/busy-try-again$/);
    expect(fake.sent).toHaveLength(DEFAULT_RETRY_POLICY.attempts);
  });

  it('orThrow gives the data, or throws the problem with its slug', async () => {
    const fake = gateway(json(200, { balance: 3 }), json(404, problem(404, 'order-not-found')));
    const client = clientOf(fake);
    expect(orThrow(await client.GET('/api/v1/me/points')).balance).toBe(3);
    const missing = client.GET('/api/v1/orders/{id}', { params: { path: { id: ORDER_ID } } }).then(orThrow);
    await expect(missing).rejects.toBeInstanceOf(MallardProblemError);
    await expect(missing).rejects.toMatchObject({ status: 404, slug: 'order-not-found' });
  });
});

describe('retryDelayMs', () => {
  const answer = (status: number, retryAfter?: string) =>
    new Response(null, { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} });

  it('waits as long as Retry-After says, within the policy’s ceiling', () => {
    expect(retryDelayMs(answer(503, '2'), 1, DEFAULT_RETRY_POLICY)).toBe(2_000);
    expect(retryDelayMs(answer(429, '3600'), 1, DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(retryDelayMs(answer(404, '1'), 1, DEFAULT_RETRY_POLICY)).toBe(1_000);
  });

  it('backs off exponentially when the answer names no wait, and does not wait for a final answer', () => {
    expect(retryDelayMs(answer(503), 1, DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY.baseDelayMs);
    expect(retryDelayMs(answer(503), 3, DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY.baseDelayMs * 4);
    expect(retryDelayMs(answer(502), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelayMs(answer(404), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
  });
});
