import { createHmac, randomBytes } from 'node:crypto';
import { loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { PaymentsConfig } from '../../config/payments-config.js';
import { StripeProvider } from './stripe.provider.js';

/** A webhook secret made here, and a signature made exactly as Stripe documents it. */
const secret = `whsec_${randomBytes(24).toString('base64url')}`;
const stripeSign = (payload: string, timestamp = Math.floor(Date.now() / 1000), key = secret) =>
  `t=${timestamp},v1=${createHmac('sha256', key).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`;

const provider = (env: Record<string, string> = {}) =>
  new StripeProvider(
    loadConfig(
      PaymentsConfig,
      { STRIPE_WEBHOOK_SECRET: secret, WEBHOOK_TOLERANCE_SECONDS: '300', ...env },
      { PORT: 0, DATABASE_NAME: 'unit' },
    ),
  );

const intentEvent = (type: string, extra: object = {}) =>
  JSON.stringify({
    id: `evt_${randomBytes(8).toString('hex')}`,
    object: 'event',
    type,
    data: {
      object: {
        id: 'pi_123',
        object: 'payment_intent',
        amount: 4_200,
        amount_received: 4_200,
        currency: 'cny',
        metadata: { serial: 'P20261125000000042', paymentId: 'x' },
        ...extra,
      },
    },
  });

describe('stripe webhook verification (no network)', () => {
  it('accepts a correctly signed payment_intent.succeeded and normalises it', async () => {
    const payload = intentEvent('payment_intent.succeeded');
    const result = await provider().verifyCallback(Buffer.from(payload), { 'stripe-signature': stripeSign(payload) });
    expect(result).toEqual({
      ok: true,
      event: {
        provider: 'stripe',
        eventId: JSON.parse(payload).id,
        providerType: 'payment_intent.succeeded',
        kind: 'PAYMENT',
        outcome: 'SUCCEEDED',
        paymentSerial: 'P20261125000000042',
        providerRef: 'pi_123',
        amountMinor: 4_200,
        currency: 'CNY',
      },
    });
  });

  it('keeps a declined attempt pending, fails a cancelled intent and ignores other event types', async () => {
    const declined = intentEvent('payment_intent.payment_failed');
    const retryable = await provider().verifyCallback(Buffer.from(declined), { 'Stripe-Signature': stripeSign(declined) });
    expect(retryable.ok && retryable.event.outcome).toBe('PENDING');
    const cancelled = intentEvent('payment_intent.canceled');
    const failure = await provider().verifyCallback(Buffer.from(cancelled), { 'Stripe-Signature': stripeSign(cancelled) });
    expect(failure.ok && failure.event.outcome).toBe('FAILED');
    const other = JSON.stringify({
      id: 'evt_other',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_1', object: 'customer' } },
    });
    const ignored = await provider().verifyCallback(Buffer.from(other), { 'stripe-signature': stripeSign(other) });
    expect(ignored.ok && ignored.event.kind).toBe('OTHER');
  });

  it('rejects a wrong secret, a tampered body, a stale timestamp and a missing header', async () => {
    const payload = intentEvent('payment_intent.succeeded');
    const stripe = provider();
    expect(
      (await stripe.verifyCallback(Buffer.from(payload), { 'stripe-signature': stripeSign(payload, undefined, 'whsec_wrong') })).ok,
    ).toBe(false);
    expect((await stripe.verifyCallback(Buffer.from(payload.replace('4200', '1')), { 'stripe-signature': stripeSign(payload) })).ok).toBe(
      false,
    );
    expect(
      (await stripe.verifyCallback(Buffer.from(payload), { 'stripe-signature': stripeSign(payload, Math.floor(Date.now() / 1000) - 301) }))
        .ok,
    ).toBe(false);
    expect((await stripe.verifyCallback(Buffer.from(payload), {})).ok).toBe(false);
  });

  it('refuses every callback while no webhook secret is configured, and offers no payments without a key', async () => {
    const unconfigured = new StripeProvider(loadConfig(PaymentsConfig, {}, { PORT: 0, DATABASE_NAME: 'unit' }));
    const payload = intentEvent('payment_intent.succeeded');
    expect((await unconfigured.verifyCallback(Buffer.from(payload), { 'stripe-signature': stripeSign(payload) })).ok).toBe(false);
    expect(unconfigured.accepts()).toBe(false);
  });
});
