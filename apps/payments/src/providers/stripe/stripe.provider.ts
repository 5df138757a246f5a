import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { PaymentsConfig } from '../../config/payments-config.js';
import type { ProviderOutcome } from '../../payment-log/payment-state.js';
import {
  type CallbackAck,
  eventAboutNothing,
  headerOf,
  type Intent,
  type IntentRequest,
  type PaymentProvider,
  type ProviderRefundRequest,
  type ProviderRefundResult,
  type VerifiedCallback,
} from '../payment-provider.js';

/**
 * A declined attempt (`payment_failed`) sends the intent back to `requires_payment_method`: the
 * shopper may still pay it with another card, so it stays pending. Only a cancelled intent is
 * final.
 */
const OUTCOMES: Record<string, ProviderOutcome> = {
  'payment_intent.succeeded': 'SUCCEEDED',
  'payment_intent.payment_failed': 'PENDING',
  'payment_intent.canceled': 'FAILED',
  'payment_intent.processing': 'PENDING',
  'payment_intent.requires_action': 'PENDING',
};

interface IntentObject {
  id: string;
  object: string;
  amount?: number;
  amount_received?: number;
  currency?: string;
  metadata?: Record<string, string>;
}

/**
 * Stripe PaymentIntents through the official client. Webhooks are verified with
 * `stripe.webhooks.constructEvent` (the `Stripe-Signature` header, HMAC-SHA256, with our
 * tolerance); events are deduplicated by their `evt_…` id.
 */
@Injectable()
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly ack: CallbackAck = { contentType: 'application/json', body: '{"received":true}' };
  private client?: Stripe;

  constructor(private readonly config: PaymentsConfig) {}

  accepts(): boolean {
    return this.config.stripeConfigured;
  }

  /** Built on first use; no request leaves before a charge or refund is asked for. */
  private stripe(): Stripe {
    // Verifying a webhook needs no API key; a placeholder keeps the client constructible.
    this.client ??= new Stripe(this.config.STRIPE_SECRET_KEY ?? 'sk_test_webhook_verification_only', {
      maxNetworkRetries: 2,
      timeout: 10_000,
    });
    return this.client;
  }

  async verifyCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<VerifiedCallback> {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!secret) return { ok: false, reason: 'stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)' };
    const signature = headerOf(headers, 'stripe-signature');
    if (!signature) return { ok: false, reason: 'no Stripe-Signature header' };
    let event: { id: string; type: string; data: { object: IntentObject } };
    try {
      event = this.stripe().webhooks.constructEvent(
        rawBody,
        signature,
        secret,
        this.config.WEBHOOK_TOLERANCE_SECONDS,
      ) as unknown as typeof event;
    } catch (error) {
      return { ok: false, reason: `stripe signature rejected: ${(error as Error).message}` };
    }
    const intent = event.data?.object;
    const outcome = OUTCOMES[event.type];
    if (!outcome || intent?.object !== 'payment_intent') {
      return { ok: true, event: eventAboutNothing('stripe', event.id, event.type) };
    }
    return {
      ok: true,
      event: {
        provider: 'stripe',
        eventId: event.id,
        providerType: event.type,
        kind: 'PAYMENT',
        outcome,
        paymentSerial: intent.metadata?.serial ?? null,
        providerRef: intent.id,
        amountMinor: outcome === 'SUCCEEDED' ? (intent.amount_received ?? intent.amount ?? null) : (intent.amount ?? null),
        // Signed is not well-formed: a field of another type is passed on as it is and refused (400) by the intake.
        currency: typeof intent.currency === 'string' ? intent.currency.toUpperCase() : ((intent.currency ?? null) as string | null),
      },
    };
  }

  async createIntent(request: IntentRequest): Promise<Intent> {
    const intent = await this.stripe().paymentIntents.create(
      {
        amount: request.amountMinor,
        currency: request.currency.toLowerCase(),
        automatic_payment_methods: { enabled: true },
        metadata: { paymentId: request.paymentId, serial: request.serial, orderId: request.orderId },
      },
      { idempotencyKey: `mallard-payment-${request.paymentId}` },
    );
    return {
      providerRef: intent.id,
      clientAction: { type: 'STRIPE_PAYMENT_INTENT', paymentIntentId: intent.id, clientSecret: intent.client_secret },
    };
  }

  async refund(request: ProviderRefundRequest): Promise<ProviderRefundResult> {
    if (!request.providerRef) return { status: 'REFUSED', detail: 'no payment intent recorded for this payment' };
    try {
      const refund = await this.stripe().refunds.create(
        { payment_intent: request.providerRef, amount: request.amountMinor, metadata: { refundSerial: request.refundSerial } },
        { idempotencyKey: `mallard-refund-${request.refundSerial}` },
      );
      if (refund.status === 'failed' || refund.status === 'canceled')
        return { status: 'REFUSED', detail: `stripe refund ${refund.id} ${refund.status}` };
      return { status: 'SUCCEEDED', providerRef: refund.id };
    } catch (error) {
      // A request Stripe refuses as invalid will not get better by retrying; anything else might.
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return { status: 'REFUSED', detail: error.message };
      throw error;
    }
  }
}
