import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PaymentsConfig } from '../../config/payments-config.js';
import type { SettlementRecord } from '../../reconciliation/settlement-csv.js';
import {
  type CallbackAck,
  headerOf,
  type Intent,
  type IntentRequest,
  type PaymentProvider,
  type ProviderRefundRequest,
  type ProviderRefundResult,
  unusableCallback,
  type VerifiedCallback,
} from '../payment-provider.js';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload, verifySandboxSignature } from './sandbox-signature.js';

export const SANDBOX_EVENT_TYPES = ['charge.succeeded', 'charge.failed', 'charge.pending'] as const;

/** The JSON body of a sandbox webhook. */
export interface SandboxWebhook {
  id: string;
  type: (typeof SANDBOX_EVENT_TYPES)[number];
  created: string;
  data: { intentId: string; reference: string; amountMinor: number; currency: string };
}

interface ChargeRow {
  intent_id: string;
  payment_serial: string;
  amount_minor: string;
  currency: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  created_at: Date;
  settled_at: Date | null;
}

const random = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Our own provider for development and tests: a simulator living in this service with its own
 * books (sandbox_charge, sandbox_refund). It "charges" — by itself after SANDBOX_CALLBACK_DELAY_MS
 * (SANDBOX_AUTO_OUTCOME) or when told through /internal/sandbox — and then POSTs a webhook to
 * the gateway like a real provider, signed with HMAC-SHA256 over the raw body
 * (`Sandbox-Signature: t=…,v1=…`). Refunds are immediate. It can write its settlement file.
 */
@Injectable()
export class SandboxProvider implements PaymentProvider, OnApplicationShutdown {
  readonly name = 'sandbox' as const;
  readonly ack: CallbackAck = { contentType: 'application/json', body: '{"received":true}' };
  private readonly logger = new Logger(SandboxProvider.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PaymentsConfig,
  ) {}

  onApplicationShutdown(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  accepts(): boolean {
    return this.config.sandboxEnabled;
  }

  async verifyCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<VerifiedCallback> {
    if (!this.config.sandboxEnabled) return { ok: false, reason: 'the sandbox provider is disabled' };
    const check = verifySandboxSignature(
      this.config.SANDBOX_WEBHOOK_SECRET,
      headerOf(headers, SANDBOX_SIGNATURE_HEADER),
      rawBody,
      this.config.WEBHOOK_TOLERANCE_SECONDS,
    );
    if (!check.ok) return check;
    let body: SandboxWebhook;
    try {
      body = JSON.parse(rawBody.toString('utf8')) as SandboxWebhook;
    } catch {
      return unusableCallback('body is not JSON');
    }
    if (
      typeof body?.id !== 'string' ||
      typeof body.type !== 'string' ||
      typeof body.data?.reference !== 'string' ||
      !Number.isInteger(body.data?.amountMinor)
    ) {
      return unusableCallback('body is not a sandbox event');
    }
    const outcome = body.type === 'charge.succeeded' ? 'SUCCEEDED' : body.type === 'charge.failed' ? 'FAILED' : 'PENDING';
    return {
      ok: true,
      event: {
        provider: 'sandbox',
        eventId: body.id,
        providerType: body.type,
        kind: (SANDBOX_EVENT_TYPES as readonly string[]).includes(body.type) ? 'PAYMENT' : 'OTHER',
        outcome,
        paymentSerial: body.data.reference,
        providerRef: body.data.intentId ?? null,
        amountMinor: body.data.amountMinor,
        currency: body.data.currency ?? null,
      },
    };
  }

  async createIntent(request: IntentRequest): Promise<Intent> {
    await this.dataSource.query(
      `INSERT INTO sandbox_charge (intent_id, payment_serial, amount_minor, currency, status) VALUES ($1, $2, $3, $4, 'PENDING')
       ON CONFLICT (payment_serial) DO NOTHING`,
      [`sbx_pi_${random(8)}`, request.serial, request.amountMinor, request.currency],
    );
    const [charge] = (await this.dataSource.query(`SELECT * FROM sandbox_charge WHERE payment_serial = $1`, [
      request.serial,
    ])) as ChargeRow[];
    if (charge.status === 'PENDING' && this.config.SANDBOX_AUTO_OUTCOME !== 'none') {
      const succeed = this.config.SANDBOX_AUTO_OUTCOME === 'succeed';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.closed) return;
        this.settle(charge.intent_id, succeed).catch((error: unknown) =>
          this.logger.warn(`sandbox charge ${charge.intent_id}: ${(error as Error).message}`),
        );
      }, this.config.SANDBOX_CALLBACK_DELAY_MS);
      this.timers.add(timer);
    }
    return {
      providerRef: charge.intent_id,
      clientAction: { type: 'SANDBOX', intentId: charge.intent_id, autoOutcome: this.config.SANDBOX_AUTO_OUTCOME },
    };
  }

  /**
   * The shopper paid (or did not): the charge settles once, and the webhook goes out — again on
   * every call, as a real provider re-sends, with a new event id only for the first settlement.
   */
  async settle(
    intentId: string,
    succeed: boolean,
  ): Promise<{ charge: ChargeRow; webhook: SandboxWebhook; delivered: number | null } | null> {
    const status = succeed ? 'SUCCEEDED' : 'FAILED';
    await this.dataSource.query(`UPDATE sandbox_charge SET status = $2, settled_at = now() WHERE intent_id = $1 AND status = 'PENDING'`, [
      intentId,
      status,
    ]);
    const [charge] = (await this.dataSource.query(`SELECT * FROM sandbox_charge WHERE intent_id = $1`, [intentId])) as ChargeRow[];
    if (!charge) return null;
    const webhook = this.webhookOf(charge);
    return { charge, webhook, delivered: await this.deliver(webhook) };
  }

  webhookOf(charge: ChargeRow): SandboxWebhook {
    return {
      // One id per settled charge: a re-send is a duplicate the receiver recognises.
      id: `evt_sbx_${charge.intent_id.slice('sbx_pi_'.length)}_${charge.status.toLowerCase()}`,
      type: charge.status === 'SUCCEEDED' ? 'charge.succeeded' : charge.status === 'FAILED' ? 'charge.failed' : 'charge.pending',
      created: new Date(charge.settled_at ?? charge.created_at).toISOString(),
      data: {
        intentId: charge.intent_id,
        reference: charge.payment_serial,
        amountMinor: Number(charge.amount_minor),
        currency: charge.currency.trim(),
      },
    };
  }

  /** POSTs a signed webhook to SANDBOX_WEBHOOK_URL, a few times if the gateway is not there. */
  async deliver(webhook: SandboxWebhook): Promise<number | null> {
    const body = JSON.stringify(webhook);
    for (let attempt = 1; attempt <= 3 && !this.closed; attempt += 1) {
      try {
        const response = await fetch(this.config.SANDBOX_WEBHOOK_URL, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'Sandbox-Signature': signSandboxPayload(this.config.SANDBOX_WEBHOOK_SECRET, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.status < 500) return response.status;
      } catch (error) {
        this.logger.warn(`sandbox webhook ${webhook.id} not delivered (attempt ${attempt}): ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    return null;
  }

  async refund(request: ProviderRefundRequest): Promise<ProviderRefundResult> {
    return this.dataSource.transaction(async (manager) => {
      const [charge] = (await manager.query(`SELECT * FROM sandbox_charge WHERE payment_serial = $1 FOR UPDATE`, [
        request.paymentSerial,
      ])) as ChargeRow[];
      if (charge?.status !== 'SUCCEEDED')
        return { status: 'REFUSED' as const, detail: `sandbox: no captured charge for ${request.paymentSerial}` };
      const [done] = (await manager.query(`SELECT refund_ref FROM sandbox_refund WHERE refund_serial = $1`, [request.refundSerial])) as {
        refund_ref: string;
      }[];
      if (done) return { status: 'SUCCEEDED' as const, providerRef: done.refund_ref };
      const [{ refunded }] = (await manager.query(
        `SELECT COALESCE(sum(amount_minor), 0)::bigint AS refunded FROM sandbox_refund WHERE intent_id = $1`,
        [charge.intent_id],
      )) as {
        refunded: string;
      }[];
      if (Number(refunded) + request.amountMinor > Number(charge.amount_minor)) {
        return { status: 'REFUSED' as const, detail: `sandbox: refunds would exceed the charge of ${charge.amount_minor}` };
      }
      const refundRef = `sbx_re_${random(8)}`;
      await manager.query(`INSERT INTO sandbox_refund (refund_serial, refund_ref, intent_id, amount_minor) VALUES ($1, $2, $3, $4)`, [
        request.refundSerial,
        refundRef,
        charge.intent_id,
        request.amountMinor,
      ]);
      return { status: 'SUCCEEDED' as const, providerRef: refundRef };
    });
  }

  async charge(intentId: string): Promise<ChargeRow | undefined> {
    const [charge] = (await this.dataSource.query(`SELECT * FROM sandbox_charge WHERE intent_id = $1`, [intentId])) as ChargeRow[];
    return charge;
  }

  /** The sandbox's settlement file for a UTC day, in the format of docs/payments.md. */
  async settlement(date: string): Promise<SettlementRecord[]> {
    const charges = (await this.dataSource.query(
      `SELECT * FROM sandbox_charge WHERE status <> 'PENDING' AND settled_at >= ($1::date)::timestamp AT TIME ZONE 'UTC' AND settled_at < ($1::date + 1)::timestamp AT TIME ZONE 'UTC' ORDER BY settled_at`,
      [date],
    )) as ChargeRow[];
    const refunds = (await this.dataSource.query(
      `SELECT r.*, c.currency FROM sandbox_refund r JOIN sandbox_charge c USING (intent_id)
       WHERE r.created_at >= ($1::date)::timestamp AT TIME ZONE 'UTC' AND r.created_at < ($1::date + 1)::timestamp AT TIME ZONE 'UTC' ORDER BY r.created_at`,
      [date],
    )) as { refund_serial: string; refund_ref: string; amount_minor: string; currency: string; created_at: Date }[];
    return [
      ...charges.map((charge) => ({
        type: 'PAYMENT' as const,
        merchantReference: charge.payment_serial,
        providerReference: charge.intent_id,
        amountMinor: Number(charge.amount_minor),
        currency: charge.currency.trim(),
        status: charge.status === 'SUCCEEDED' ? ('SUCCEEDED' as const) : ('FAILED' as const),
        settledAt: new Date(charge.settled_at!).toISOString(),
      })),
      ...refunds.map((refund) => ({
        type: 'REFUND' as const,
        merchantReference: refund.refund_serial,
        providerReference: refund.refund_ref,
        amountMinor: Number(refund.amount_minor),
        currency: refund.currency.trim(),
        status: 'SUCCEEDED' as const,
        settledAt: new Date(refund.created_at).toISOString(),
      })),
    ];
  }
}
