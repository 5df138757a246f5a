import { describe, expect, it } from 'vitest';
import { checkpointDedupeKey, type TrackingReport, type WebhookVerdict } from '../tracking-report.js';
import { PLATFORM_PARCEL_STATUSES, PLATFORM_STATUS_STATES } from './platform-states.js';
import { PLATFORM_ACK, signPlatformBody, verifyPlatformWebhook } from './platform-webhook.js';

const SECRET = 'platform-unit-secret-platform-unit-secret';
const NOW = 1_773_144_000;
const OPTIONS = { secrets: [SECRET], toleranceSeconds: 300, nowSeconds: NOW };
const SUB_ORDER = '0b6c1a38-5a2f-4f0e-9f57-1a4c3e2d9b10';

const update = (parcel: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  id: 'pev_0001',
  type: 'parcel.status',
  occurredAt: '2026-03-10T20:00:00+08:00',
  subOrderId: SUB_ORDER,
  purchaseRef: 'PO-778899',
  parcel: {
    ref: 'PP-1',
    carrier: 'shunfeng',
    trackingNumber: 'SF5550001',
    status: 'AWAITING_RECEIPT',
    lines: [{ skuId: 'sku-honey', quantity: 2 }],
    ...parcel,
  },
  ...top,
});

const raw = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
const deliver = (body: unknown, { secret = SECRET, at = NOW } = {}): WebhookVerdict => {
  const bytes = raw(body);
  return verifyPlatformWebhook(bytes, { 'platform-signature': signPlatformBody(secret, bytes, at) }, OPTIONS);
};
const reportOf = (verdict: WebhookVerdict): TrackingReport => {
  if (verdict.outcome !== 'REPORT') throw new Error(`expected a report, got ${JSON.stringify(verdict)}`);
  return verdict.report;
};

describe('platform webhooks', () => {
  it('turns a genuine signed parcel status into a report about the sub-order and its parcel', () => {
    expect(reportOf(deliver(update()))).toEqual({
      provider: 'platform',
      eventKey: 'pev_0001',
      providerEventType: 'parcel.status',
      carrierCode: 'sf-express',
      providerCarrierCode: 'shunfeng',
      trackingNumber: 'SF5550001',
      subOrderId: SUB_ORDER,
      purchaseRef: 'PO-778899',
      parcels: [
        {
          parcelId: null,
          ref: 'PP-1',
          carrierCode: 'sf-express',
          trackingNumber: 'SF5550001',
          lines: [{ skuId: 'sku-honey', quantity: 2 }],
        },
      ],
      checkpoints: [
        {
          occurredAt: new Date('2026-03-10T12:00:00Z'),
          providerStatus: 'AWAITING_RECEIPT',
          state: 'IN_TRANSIT',
          message: 'Shipped by the platform, awaiting receipt',
          location: null,
        },
      ],
    });
    expect(PLATFORM_ACK.body).toBe('{"received":true}');
  });

  it('refuses a forged signature, a changed byte, a missing header, and any webhook while unconfigured', () => {
    const bytes = raw(update());
    const header = signPlatformBody(SECRET, bytes, NOW);
    expect(deliver(update(), { secret: 'a-guessed-secret' })).toMatchObject({ outcome: 'REFUSED', refusal: 'SIGNATURE_INVALID' });
    const tampered = Buffer.from(bytes.toString().replace('RECEIPT', 'RECEIPT '));
    expect(verifyPlatformWebhook(tampered, { 'platform-signature': header }, OPTIONS)).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
    expect(verifyPlatformWebhook(bytes, {}, OPTIONS)).toEqual({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
      reason: 'platform: no signature header',
    });
    expect(verifyPlatformWebhook(bytes, { 'platform-signature': header }, { ...OPTIONS, secrets: [] })).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
  });

  it('refuses a replay outside the window, and accepts one inside it (the id dedupe takes care of that)', () => {
    expect(deliver(update(), { at: NOW - 301 })).toEqual({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
      reason: 'platform: signature timestamp outside the tolerance',
    });
    expect(deliver(update(), { at: NOW + 301 }).outcome).toBe('REFUSED');
    expect(deliver(update(), { at: NOW - 300 }).outcome).toBe('REPORT');
  });

  it('accepts the previous secret during a rotation, alone or beside the new one', () => {
    const bytes = raw(update());
    const rotating = { ...OPTIONS, secrets: [SECRET, 'the-previous-platform-secret'] };
    expect(
      verifyPlatformWebhook(bytes, { 'platform-signature': signPlatformBody('the-previous-platform-secret', bytes, NOW) }, rotating)
        .outcome,
    ).toBe('REPORT');
    const both = signPlatformBody(['the-next-platform-secret', SECRET], bytes, NOW);
    expect(verifyPlatformWebhook(bytes, { 'platform-signature': both }, OPTIONS).outcome).toBe('REPORT');
  });

  it('answers a signed but malformed body as unusable', () => {
    const cases: unknown[] = [
      '{"id":',
      update({}, { id: '' }),
      update({}, { occurredAt: '2026-03-10T20:00:00' }),
      update({}, { subOrderId: 'SO-1' }),
      update({}, { purchaseRef: undefined }),
      update({}, { parcel: 'PP-1' }),
      update({ status: 'LOST_IN_SPACE' }),
      update({ trackingNumber: '' }),
      update({ lines: [] }),
      update({ lines: [{ skuId: 'sku-honey', quantity: 0 }] }),
      update({ lines: [{ skuId: 'sku-honey', quantity: '2' }] }),
    ];
    for (const body of cases) expect(deliver(body), JSON.stringify(body)).toMatchObject({ outcome: 'REFUSED', refusal: 'UNUSABLE' });
  });

  it('acknowledges and ignores a verified event of another type', () => {
    expect(deliver(update({}, { type: 'purchase.updated' }))).toEqual({
      outcome: 'IGNORED',
      provider: 'platform',
      eventKey: 'pev_0001',
      providerEventType: 'purchase.updated',
      reason: 'not a parcel status',
    });
  });

  it('maps every status: awaiting receipt is in transit, received is delivered, rejected is rejected', () => {
    expect(PLATFORM_STATUS_STATES).toEqual({ AWAITING_RECEIPT: 'IN_TRANSIT', RECEIVED: 'DELIVERED', REJECTED: 'REJECTED' });
    for (const status of PLATFORM_PARCEL_STATUSES) {
      expect(reportOf(deliver(update({ status }))).checkpoints.map((c) => c.state)).toEqual([PLATFORM_STATUS_STATES[status]]);
    }
  });

  it('keeps the dedupe keys stable across a repeat, even re-signed at another time', () => {
    const first = reportOf(deliver(update()));
    const repeat = reportOf(deliver(update(), { at: NOW + 60 }));
    expect(repeat.eventKey).toBe(first.eventKey);
    expect(checkpointDedupeKey('platform', repeat.checkpoints[0])).toBe(checkpointDedupeKey('platform', first.checkpoints[0]));
  });
});
