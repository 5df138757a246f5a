import { describe, expect, it } from 'vitest';
import { checkpointDedupeKey, type TrackingReport, type WebhookVerdict } from '../tracking-report.js';
import { WAREHOUSE_EVENT_STATES, WAREHOUSE_EVENT_TYPES } from './warehouse-states.js';
import { signWarehouseBody, verifyWarehouseWebhook, WAREHOUSE_ACK } from './warehouse-webhook.js';

const SECRET = 'warehouse-unit-secret-warehouse-unit-secret';
const NOW = 1_773_144_000;
const OPTIONS = { secrets: [SECRET], toleranceSeconds: 300, nowSeconds: NOW };
const SUB_ORDER = '0b6c1a38-5a2f-4f0e-9f57-1a4c3e2d9b10';
const PARCEL = '6a0f4d5e-3b2c-4a19-8e7d-5c4b3a291807';

const shipped = (parcels: unknown = undefined, top: Record<string, unknown> = {}) => ({
  id: 'wev_0001',
  type: 'shipped',
  occurredAt: '2026-03-10T08:00:00Z',
  subOrderId: SUB_ORDER,
  parcels: parcels ?? [
    { parcelId: PARCEL, carrier: 'ZTO', trackingNumber: 'ZT7770001' },
    { carrier: 'yuantong', trackingNumber: 'YT8880002', lines: [{ skuId: 'sku-kettle', quantity: 1 }] },
  ],
  ...top,
});

const raw = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
const deliver = (body: unknown, { secret = SECRET, at = NOW } = {}): WebhookVerdict => {
  const bytes = raw(body);
  return verifyWarehouseWebhook(bytes, { 'warehouse-signature': signWarehouseBody(secret, bytes, at) }, OPTIONS);
};
const reportOf = (verdict: WebhookVerdict): TrackingReport => {
  if (verdict.outcome !== 'REPORT') throw new Error(`expected a report, got ${JSON.stringify(verdict)}`);
  return verdict.report;
};

describe('warehouse webhooks', () => {
  it('turns a genuine signed shipment into a report: each parcel handed over, in our carrier codes', () => {
    expect(reportOf(deliver(shipped()))).toEqual({
      provider: 'warehouse',
      eventKey: 'wev_0001',
      providerEventType: 'shipped',
      carrierCode: null,
      providerCarrierCode: null,
      trackingNumber: null,
      subOrderId: SUB_ORDER,
      parcels: [
        { parcelId: PARCEL, ref: null, carrierCode: 'zto', trackingNumber: 'ZT7770001', lines: [] },
        { parcelId: null, ref: null, carrierCode: 'yto', trackingNumber: 'YT8880002', lines: [{ skuId: 'sku-kettle', quantity: 1 }] },
      ],
      checkpoints: [
        {
          occurredAt: new Date('2026-03-10T08:00:00Z'),
          providerStatus: 'shipped',
          state: 'PICKED_UP',
          message: 'Handed to the carrier by the warehouse',
          location: null,
        },
      ],
    });
    expect(WAREHOUSE_ACK.body).toBe('{"received":true}');
  });

  it('names the parcel at the top when the shipment is of one parcel', () => {
    const report = reportOf(deliver(shipped([{ parcelId: PARCEL, carrier: 'shunfeng', trackingNumber: 'SF1' }])));
    expect(report).toMatchObject({ carrierCode: 'sf-express', providerCarrierCode: 'shunfeng', trackingNumber: 'SF1' });
  });

  it('refuses a forged signature, a changed byte, a missing header, a replay outside the window, and any webhook while unconfigured', () => {
    const bytes = raw(shipped());
    const header = signWarehouseBody(SECRET, bytes, NOW);
    expect(deliver(shipped(), { secret: 'a-guessed-secret' })).toMatchObject({ outcome: 'REFUSED', refusal: 'SIGNATURE_INVALID' });
    const tampered = Buffer.from(bytes.toString().replace('ZT7770001', 'ZT7770009'));
    expect(verifyWarehouseWebhook(tampered, { 'warehouse-signature': header }, OPTIONS)).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
    expect(verifyWarehouseWebhook(bytes, { 'platform-signature': header }, OPTIONS)).toEqual({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
      reason: 'warehouse: no signature header',
    });
    expect(deliver(shipped(), { at: NOW - 301 })).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
      reason: 'warehouse: signature timestamp outside the tolerance',
    });
    expect(verifyWarehouseWebhook(bytes, { 'warehouse-signature': header }, { ...OPTIONS, secrets: [] })).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
  });

  it('accepts the previous secret during a rotation', () => {
    const bytes = raw(shipped());
    const rotating = { ...OPTIONS, secrets: [SECRET, 'the-previous-warehouse-secret'] };
    const header = signWarehouseBody('the-previous-warehouse-secret', bytes, NOW);
    expect(verifyWarehouseWebhook(bytes, { 'Warehouse-Signature': header }, rotating).outcome).toBe('REPORT');
  });

  it('answers a signed but malformed body as unusable', () => {
    const cases: unknown[] = [
      'shipped',
      shipped(undefined, { occurredAt: 'today' }),
      shipped(undefined, { subOrderId: undefined }),
      shipped(undefined, { subOrderId: 'SO-1' }),
      shipped([]),
      shipped(['ZT1']),
      shipped([{ carrier: 'zto' }]),
      shipped([{ carrier: 'zto', trackingNumber: 'ZT1' }]),
      shipped([{ parcelId: 'P-1', carrier: 'zto', trackingNumber: 'ZT1' }]),
      shipped([{ carrier: 'zto', trackingNumber: 'ZT1', lines: 'all' }]),
      shipped([
        { parcelId: PARCEL, carrier: 'zto', trackingNumber: 'ZT1' },
        { parcelId: PARCEL, carrier: 'zhongtong', trackingNumber: 'ZT1' },
      ]),
    ];
    for (const body of cases) expect(deliver(body), JSON.stringify(body)).toMatchObject({ outcome: 'REFUSED', refusal: 'UNUSABLE' });
  });

  it('acknowledges and ignores a verified event of another type', () => {
    expect(deliver(shipped(undefined, { type: 'picked' }))).toMatchObject({
      outcome: 'IGNORED',
      eventKey: 'wev_0001',
      providerEventType: 'picked',
    });
  });

  it('maps its one event: shipped is picked up by the carrier', () => {
    expect(WAREHOUSE_EVENT_TYPES).toEqual(['shipped']);
    expect(WAREHOUSE_EVENT_STATES.shipped).toBe('PICKED_UP');
  });

  it('keeps the dedupe keys stable across a repeat, even re-signed at another time', () => {
    const first = reportOf(deliver(shipped()));
    const repeat = reportOf(deliver(shipped(), { at: NOW + 120 }));
    expect(repeat.eventKey).toBe(first.eventKey);
    expect(checkpointDedupeKey('warehouse', repeat.checkpoints[0])).toBe(checkpointDedupeKey('warehouse', first.checkpoints[0]));
  });
});
