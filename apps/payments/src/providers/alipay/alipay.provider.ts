import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AlipaySdk } from 'alipay-sdk';
import { PaymentsConfig } from '../../config/payments-config.js';
import type { ProviderOutcome } from '../../payment-log/payment-state.js';
import {
  type CallbackAck,
  decimalToMinor,
  type Intent,
  type IntentRequest,
  minorToDecimal,
  type PaymentProvider,
  type ProviderRefundRequest,
  type ProviderRefundResult,
  unusableCallback,
  type VerifiedCallback,
} from '../payment-provider.js';
import { alipayPublicKey, parseForm, verifyAlipayParams } from './alipay-signature.js';

const OUTCOMES: Record<string, ProviderOutcome> = {
  WAIT_BUYER_PAY: 'PENDING',
  TRADE_SUCCESS: 'SUCCEEDED',
  TRADE_FINISHED: 'SUCCEEDED',
  // Closed unpaid (timeout, cancelled) — or closed after a full refund, which must not undo a success.
  TRADE_CLOSED: 'FAILED',
};

/**
 * Alipay (支付宝) computer-website payments. Requests go through the official `alipay-sdk`
 * (page pay link, trade refund); asynchronous notifications are verified here with node:crypto
 * exactly as documented (see alipay-signature.ts), deduplicated by notify_id and answered with
 * the literal `success`. Alipay settles in CNY only.
 */
@Injectable()
export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  readonly ack: CallbackAck = { contentType: 'text/plain; charset=utf-8', body: 'success' };
  private sdk?: AlipaySdk;
  private publicKey?: KeyObject;

  constructor(private readonly config: PaymentsConfig) {}

  accepts(currency: string): boolean {
    return this.config.alipayConfigured && currency === 'CNY';
  }

  private client(): AlipaySdk {
    if (!this.config.alipayConfigured) throw new Error('alipay is not configured (ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY)');
    this.sdk ??= new AlipaySdk({
      appId: this.config.ALIPAY_APP_ID!,
      privateKey: this.config.ALIPAY_PRIVATE_KEY!,
      alipayPublicKey: this.config.ALIPAY_PUBLIC_KEY!,
      gateway: this.config.ALIPAY_GATEWAY,
      keyType: privateKeyType(this.config.ALIPAY_PRIVATE_KEY!),
      signType: 'RSA2',
    });
    return this.sdk;
  }

  async verifyCallback(rawBody: Buffer): Promise<VerifiedCallback> {
    if (!this.config.ALIPAY_PUBLIC_KEY || !this.config.ALIPAY_APP_ID)
      return { ok: false, reason: 'alipay notifications are not configured' };
    this.publicKey ??= alipayPublicKey(this.config.ALIPAY_PUBLIC_KEY);
    const params = parseForm(rawBody);
    if (params.charset && params.charset.toLowerCase() !== 'utf-8')
      return { ok: false, reason: `charset ${params.charset} is not supported` };
    if (!verifyAlipayParams(params, this.publicKey)) return { ok: false, reason: 'alipay signature does not verify' };
    if (params.app_id !== this.config.ALIPAY_APP_ID) return { ok: false, reason: `notification for another app (${params.app_id})` };
    const seller = this.config.ALIPAY_SELLER_ID;
    if (seller !== undefined && params.seller_id !== seller)
      return { ok: false, reason: `notification for another seller (${params.seller_id ?? 'none'})` };
    if (!params.notify_id) return unusableCallback('notification without notify_id');
    const outcome = OUTCOMES[params.trade_status];
    // Fail closed: a trade notification whose amount cannot be read is not acted on at all.
    const amount = params.total_amount === undefined ? null : decimalToMinor(params.total_amount);
    if (outcome && amount === null)
      return unusableCallback(`total_amount ${JSON.stringify(params.total_amount ?? null)} is missing or not an amount`);
    return {
      ok: true,
      event: {
        provider: 'alipay',
        eventId: params.notify_id,
        providerType: params.trade_status ?? params.notify_type ?? 'unknown',
        kind: outcome ? 'PAYMENT' : 'OTHER',
        outcome: outcome ?? 'PENDING',
        paymentSerial: params.out_trade_no ?? null,
        providerRef: params.trade_no ?? null,
        amountMinor: amount,
        currency: 'CNY',
      },
    };
  }

  /** A signed page-pay link; building it calls nobody. The trade_no comes with the notification. */
  async createIntent(request: IntentRequest): Promise<Intent> {
    const url = this.client().pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: {
        out_trade_no: request.serial,
        product_code: 'FAST_INSTANT_TRADE_PAY',
        total_amount: minorToDecimal(request.amountMinor),
        subject: `Mallard order ${request.orderId}`,
      },
      notify_url: this.config.ALIPAY_NOTIFY_URL,
    });
    return { providerRef: null, clientAction: { type: 'ALIPAY_PAGE_PAY', url } };
  }

  async refund(request: ProviderRefundRequest): Promise<ProviderRefundResult> {
    const result = await this.client().exec('alipay.trade.refund', {
      bizContent: {
        out_trade_no: request.paymentSerial,
        refund_amount: minorToDecimal(request.amountMinor),
        // Alipay's idempotency handle: the same out_request_no refunds once.
        out_request_no: request.refundSerial,
      },
    });
    if (result.code === '10000') return { status: 'SUCCEEDED', providerRef: (result as { tradeNo?: string }).tradeNo ?? null };
    // Alipay's system errors are worth retrying; business refusals are not.
    if (result.code === '20000') throw new Error(`alipay refund: ${result.msg} (${result.subCode ?? ''})`);
    return { status: 'REFUSED', detail: `${result.subCode ?? result.code}: ${result.subMsg ?? result.msg}` };
  }
}

function privateKeyType(text: string): 'PKCS1' | 'PKCS8' {
  if (text.includes('BEGIN RSA PRIVATE KEY')) return 'PKCS1';
  if (text.includes('BEGIN PRIVATE KEY')) return 'PKCS8';
  try {
    createPrivateKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
    return 'PKCS8';
  } catch {
    return 'PKCS1';
  }
}
