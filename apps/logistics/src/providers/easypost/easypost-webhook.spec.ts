import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointDedupeKey, type TrackingReport, type WebhookVerdict } from '../tracking-report.js';
import { EasyPostClient } from './easypost-client.js';
import { EASYPOST_STATUS_STATES, EASYPOST_STATUSES } from './easypost-states.js';
import { EASYPOST_ACK, easyPostWebhookValidator, signEasyPostBody, verifyEasyPostWebhook } from './easypost-webhook.js';

// Not NFKD-normal on purpose: "é" composed, and a ligature NFKD spells out.
const SECRET = 'easypost-s\u00e9cret-\ufb01';
const OPTIONS = { secrets: [SECRET] };

const detail = (datetime: string, status: string, message: string) => ({
  object: 'TrackingDetail',
  message,
  description: '',
  status,
  status_detail: 'arrived_at_facility',
  datetime,
  source: 'USPS',
  carrier_code: '',
  tracking_location: { object: 'TrackingLocation', city: 'Louisville', state: 'KY', country: 'US', zip: '40201' },
});
const PRE = detail('2026-03-09T10:00:00Z', 'pre_transit', 'Pre-Shipment Info Sent to USPS');
const MOVING = detail('2026-03-10T08:15:00Z', 'in_transit', 'Arrived at USPS Regional Facility');

const event = (result: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  id: 'evt_1a2b3c',
  object: 'Event',
  mode: 'test',
  description: 'tracker.updated',
  created_at: '2026-03-10T08:20:00Z',
  updated_at: '2026-03-10T08:20:00Z',
  previous_attributes: { status: 'pre_transit' },
  result: {
    id: 'trk_9z8y7x',
    object: 'Tracker',
    mode: 'test',
    tracking_code: '9400100000000000000000',
    status: 'in_transit',
    status_detail: 'arrived_at_facility',
    carrier: 'USPS',
    weight: 16,
    updated_at: '2026-03-10T08:20:00Z',
    tracking_details: [PRE, MOVING],
    ...result,
  },
  ...top,
});

const raw = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
const deliver = (body: unknown): WebhookVerdict => {
  const bytes = raw(body);
  return verifyEasyPostWebhook(bytes, { 'x-hmac-signature': signEasyPostBody(SECRET, bytes) }, OPTIONS);
};
const reportOf = (verdict: WebhookVerdict): TrackingReport => {
  if (verdict.outcome !== 'REPORT') throw new Error(`expected a report, got ${JSON.stringify(verdict)}`);
  return verdict.report;
};
const hexHmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest('hex');

describe('EasyPost webhooks', () => {
  it('turns a genuine signed tracker.updated into a report through the official package’s check', () => {
    const report = reportOf(deliver(event()));
    expect(report).toEqual({
      provider: 'easypost',
      eventKey: 'evt_1a2b3c',
      providerEventType: 'tracker.updated',
      carrierCode: 'usps',
      providerCarrierCode: 'USPS',
      trackingNumber: '9400100000000000000000',
      checkpoints: [
        {
          occurredAt: new Date('2026-03-09T10:00:00Z'),
          providerStatus: 'pre_transit',
          state: null,
          message: PRE.message,
          location: 'Louisville, KY, US, 40201',
        },
        {
          occurredAt: new Date('2026-03-10T08:15:00Z'),
          providerStatus: 'in_transit',
          state: 'IN_TRANSIT',
          message: MOVING.message,
          location: 'Louisville, KY, US, 40201',
        },
      ],
    });
    expect(EASYPOST_ACK.body).toBe('{"received":true}');
    expect(reportOf(deliver(event({}, { description: 'tracker.created' }))).providerEventType).toBe('tracker.created');
  });

  it('hashes with the NFKD-normalised secret and integer weights written as floats, as validateWebhook does', () => {
    const bytes = raw(event());
    expect(bytes.toString()).toContain('"weight":16,');
    const asValidated = bytes.toString().replace('"weight":16,', '"weight":16.0,');
    const header = `hmac-sha256-hex=${hexHmac(Buffer.from(SECRET.normalize('NFKD'), 'utf8'), asValidated)}`;
    expect(signEasyPostBody(SECRET, bytes)).toBe(header);
    expect(verifyEasyPostWebhook(bytes, { 'X-Hmac-Signature': header }, OPTIONS).outcome).toBe('REPORT');
    // The traps: the raw bytes as they are, or the secret as typed, do not verify.
    const overRawBytes = `hmac-sha256-hex=${hexHmac(Buffer.from(SECRET.normalize('NFKD'), 'utf8'), bytes.toString())}`;
    expect(verifyEasyPostWebhook(bytes, { 'x-hmac-signature': overRawBytes }, OPTIONS)).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
    const withSecretAsTyped = `hmac-sha256-hex=${hexHmac(SECRET, asValidated)}`;
    expect(verifyEasyPostWebhook(bytes, { 'x-hmac-signature': withSecretAsTyped }, OPTIONS)).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
  });

  it('refuses a forged signature, a changed byte, a missing header, and any webhook while unconfigured', () => {
    const bytes = raw(event());
    const header = signEasyPostBody(SECRET, bytes);
    expect(verifyEasyPostWebhook(bytes, { 'x-hmac-signature': signEasyPostBody('a-guessed-secret', bytes) }, OPTIONS)).toMatchObject({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
    });
    const tampered = Buffer.from(bytes.toString().replace('in_transit', 'delivered'));
    expect(verifyEasyPostWebhook(tampered, { 'x-hmac-signature': header }, OPTIONS)).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
    expect(verifyEasyPostWebhook(bytes, {}, OPTIONS)).toEqual({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
      reason: 'no X-Hmac-Signature header',
    });
    expect(verifyEasyPostWebhook(bytes, { 'x-hmac-signature': 'hmac-sha256-hex=00' }, OPTIONS)).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
    expect(verifyEasyPostWebhook(bytes, { 'x-hmac-signature': header }, { secrets: [] })).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
  });

  it('accepts the previous secret during a rotation, and validates through a given client', () => {
    const bytes = raw(event());
    const header = { 'x-hmac-signature': signEasyPostBody('old-secret', bytes) };
    expect(verifyEasyPostWebhook(bytes, header, { secrets: [SECRET, 'old-secret'] }).outcome).toBe('REPORT');
    const validate = easyPostWebhookValidator(new EasyPostClient('ek_test_placeholder'));
    expect(verifyEasyPostWebhook(bytes, header, { secrets: ['old-secret'], validate }).outcome).toBe('REPORT');
  });

  it('answers a signed JSON body that is not a usable tracker event as unusable; a signed non-JSON body is refused by the package', () => {
    expect(deliver({ object: 'Event' })).toMatchObject({ outcome: 'REFUSED', refusal: 'UNUSABLE' });
    expect(deliver(event({ object: 'Shipment' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(event({ tracking_code: '' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(event({ tracking_details: 'none' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(event({}, { result: null }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(event({ tracking_code: '9400\u0000' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver('{"id":"evt_1",')).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
  });

  it('acknowledges and ignores a verified event that is not about a tracker', () => {
    expect(deliver(event({}, { description: 'batch.updated' }))).toEqual({
      outcome: 'IGNORED',
      provider: 'easypost',
      eventKey: 'evt_1a2b3c',
      providerEventType: 'batch.updated',
      reason: 'not a tracker event',
    });
  });

  it('maps every status; unknown is history only', () => {
    expect(Object.keys(EASYPOST_STATUS_STATES)).toEqual([...EASYPOST_STATUSES]);
    for (const status of EASYPOST_STATUSES) {
      const report = reportOf(deliver(event({ status, tracking_details: [PRE, detail('2026-03-10T08:15:00Z', status, 'x')] })));
      const expected = EASYPOST_STATUS_STATES[status];
      expect(
        report.checkpoints.filter((c) => c.state !== null).map((c) => c.state),
        status,
      ).toEqual(expected ? [expected] : []);
    }
    expect(EASYPOST_STATUS_STATES.return_to_sender).toBe('RETURNING');
    expect(EASYPOST_STATUS_STATES.unknown).toBeNull();
  });

  it('dates a status without details at the tracker’s updated_at', () => {
    const report = reportOf(deliver(event({ status: 'delivered', tracking_details: [] })));
    expect(report.checkpoints).toEqual([
      {
        occurredAt: new Date('2026-03-10T08:20:00Z'),
        providerStatus: 'delivered',
        state: 'DELIVERED',
        message: 'arrived_at_facility',
        location: null,
      },
    ]);
  });

  it('keeps the dedupe keys stable across a repeat, and for the details a later event lists again', () => {
    const keys = (report: TrackingReport) => report.checkpoints.map((c) => checkpointDedupeKey('easypost', c));
    const first = reportOf(deliver(event({ status: 'pre_transit', tracking_details: [PRE] }, { id: 'evt_first' })));
    const repeat = reportOf(deliver(event({ status: 'pre_transit', tracking_details: [PRE] }, { id: 'evt_first' })));
    expect(repeat.eventKey).toBe('evt_first');
    expect(keys(repeat)).toEqual(keys(first));
    const later = reportOf(deliver(event({}, { id: 'evt_later' })));
    expect(keys(later)[0]).toBe(keys(first)[0]);
  });
});
