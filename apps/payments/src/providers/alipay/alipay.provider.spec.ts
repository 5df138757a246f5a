import { createSign, generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { PaymentsConfig } from '../../config/payments-config.js';
import { ALIPAY_CAPTURE } from '../../testing/provider-events.js';
import { decimalToMinor, minorToDecimal } from '../payment-provider.js';
import { AlipayProvider } from './alipay.provider.js';
import { alipaySignContent } from './alipay-signature.js';

// Alipay's key pair, made here: the test plays Alipay and signs as its documentation says.
const alipay = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const merchant = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const APP_ID = '2021000000000042';

/** RSA2 as documented: drop sign, sign_type and empty values; sort; key=value&…; SHA256withRSA; base64. */
function signAsAlipay(params: Record<string, string>): string {
  const content = Object.keys(params)
    .filter((key) => key !== 'sign' && key !== 'sign_type' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  return createSign('RSA-SHA256').update(content, 'utf8').sign(alipay.privateKey, 'base64');
}

const provider = (extra: Record<string, string> = {}) =>
  new AlipayProvider(
    loadConfig(
      PaymentsConfig,
      // Alipay's console shows its public key as bare base64: accept that form too.
      {
        ALIPAY_APP_ID: APP_ID,
        ALIPAY_PRIVATE_KEY: merchant.privateKey,
        ALIPAY_PUBLIC_KEY: alipay.publicKey.replace(/-----[^-]+-----|\s/g, ''),
        ...extra,
      },
      { PORT: 0, DATABASE_NAME: 'unit' },
    ),
  );

function notification(overrides: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = {
    gmt_create: '2026-11-25 10:00:00',
    charset: 'utf-8',
    seller_email: 'mall@example.com',
    subject: 'Mallard order 支付',
    sign_type: 'RSA2',
    buyer_id: '2088102122524333',
    invoice_amount: '',
    notify_id: '2026112500222100000012345678',
    notify_type: 'trade_status_sync',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '123.45',
    trade_no: '2026112522001424330501234567',
    auth_app_id: APP_ID,
    seller_id: '2088101122136241',
    app_id: APP_ID,
    out_trade_no: 'P20261125000000077',
    notify_time: '2026-11-25 10:00:05',
    ...overrides,
  };
  params.sign = signAsAlipay(params);
  return params;
}

const form = (params: Record<string, string>) => Buffer.from(new URLSearchParams(params).toString());

describe('alipay notification verification (no network)', () => {
  it('verifies a documented RSA2 signature and normalises the notification', async () => {
    const result = await provider().verifyCallback(form(notification()));
    expect(result).toEqual({ ok: true, event: ALIPAY_CAPTURE });
  });

  it('maps every trade status', async () => {
    const outcomeOf = async (status: string) => {
      const result = await provider().verifyCallback(form(notification({ trade_status: status })));
      return result.ok ? result.event.outcome : result.reason;
    };
    expect(await outcomeOf('WAIT_BUYER_PAY')).toBe('PENDING');
    expect(await outcomeOf('TRADE_FINISHED')).toBe('SUCCEEDED');
    expect(await outcomeOf('TRADE_CLOSED')).toBe('FAILED');
  });

  it('rejects a changed parameter, another app, a signature by another key, and no signature', async () => {
    const good = notification();
    expect((await provider().verifyCallback(form({ ...good, total_amount: '0.01' }))).ok).toBe(false);
    expect((await provider().verifyCallback(form({ ...good, sign: '' }))).ok).toBe(false);
    const otherApp = notification({ app_id: '2021000000000999' });
    expect(await provider().verifyCallback(form(otherApp))).toMatchObject({ ok: false, reason: expect.stringContaining('another app') });
    const byMerchantKey = {
      ...good,
      sign: createSign('RSA-SHA256').update(alipaySignContent(good), 'utf8').sign(merchant.privateKey, 'base64'),
    };
    expect((await provider().verifyCallback(form(byMerchantKey))).ok).toBe(false);
  });

  it('fails closed on a signed trade notification whose total_amount is missing or unreadable', async () => {
    const withoutAmount = notification();
    delete withoutAmount.total_amount;
    withoutAmount.sign = signAsAlipay(withoutAmount);
    for (const params of [
      withoutAmount,
      notification({ total_amount: 'abc' }),
      notification({ total_amount: '1.234' }),
      notification({ total_amount: '' }),
    ]) {
      expect(await provider().verifyCallback(form(params)), JSON.stringify(params.total_amount)).toMatchObject({
        ok: false,
        unusable: true,
      });
    }
    // A notification about no trade (no trade_status) needs no amount.
    expect((await provider().verifyCallback(form(notification({ trade_status: 'SOMETHING_ELSE', total_amount: '' })))).ok).toBe(true);
  });

  it('checks seller_id when ALIPAY_SELLER_ID is set', async () => {
    expect((await provider({ ALIPAY_SELLER_ID: '2088101122136241' }).verifyCallback(form(notification()))).ok).toBe(true);
    expect(await provider({ ALIPAY_SELLER_ID: '2088000000000001' }).verifyCallback(form(notification()))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another seller'),
    });
    const withoutSeller = notification();
    delete withoutSeller.seller_id;
    withoutSeller.sign = signAsAlipay(withoutSeller);
    expect((await provider({ ALIPAY_SELLER_ID: '2088101122136241' }).verifyCallback(form(withoutSeller))).ok).toBe(false);
    // Not configured: not checked.
    expect((await provider().verifyCallback(form(withoutSeller))).ok).toBe(true);
  });

  it('builds a signed page-pay link without calling anyone', async () => {
    const intent = await provider().createIntent({
      paymentId: 'p',
      serial: 'P20261125000000077',
      orderId: 'o',
      amountMinor: 12_345,
      currency: 'CNY',
    });
    expect(intent.clientAction.type).toBe('ALIPAY_PAGE_PAY');
    const url = new URL(intent.clientAction.url as string);
    expect(url.searchParams.get('method')).toBe('alipay.trade.page.pay');
    expect(url.searchParams.get('sign')).toBeTruthy();
    expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({ out_trade_no: 'P20261125000000077', total_amount: '123.45' });
  });

  it('converts decimal amounts exactly', () => {
    expect(decimalToMinor('123.45')).toBe(12_345);
    expect(decimalToMinor('0.1')).toBe(10);
    expect(decimalToMinor('7')).toBe(700);
    expect(decimalToMinor('1.234')).toBeNull();
    expect(minorToDecimal(5)).toBe('0.05');
    expect(minorToDecimal(12_345)).toBe('123.45');
  });
});
