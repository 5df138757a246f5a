import { describe, expect, it } from 'vitest';
import { checkpointDedupeKey, type TrackingReport, type WebhookVerdict } from '../tracking-report.js';
import { AFTERSHIP_SUBTAG_STATES, AFTERSHIP_TAG_STATES, AFTERSHIP_TAGS, afterShipState } from './aftership-states.js';
import { AFTERSHIP_ACK, signAfterShipBody, verifyAfterShipWebhook } from './aftership-webhook.js';

const SECRET = 'aftership-unit-secret';
const OPTIONS = { secrets: [SECRET] };

const checkpoint = (time: string, tag: string, subtag: string, message: string) => ({
  checkpoint_time: time,
  tag,
  subtag,
  subtag_message: message,
  message,
  city: 'Shenzhen',
  state: 'Guangdong',
  country_region: 'CHN',
  country_region_name: 'China',
  slug: 'sf-express',
});

const TRANSIT = checkpoint('2026-03-09T10:00:00+08:00', 'InTransit', 'InTransit_002', 'Departed the facility');
const DELIVERED = checkpoint('2026-03-10T09:30:00', 'Delivered', 'Delivered_001', 'Delivered');

const webhook = (msg: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  ts: 1_773_136_200,
  event: 'tracking_update',
  event_id: '6fa3ad0b-7f6e-4f4c-a7b0-2f1f0b9c1e21',
  is_tracking_first_tag: false,
  msg: {
    id: 'as-tracking-1',
    tracking_number: 'SF1234567890',
    slug: 'sf-express',
    tag: 'Delivered',
    subtag: 'Delivered_001',
    subtag_message: 'Delivered',
    checkpoints: [TRANSIT, DELIVERED],
    ...msg,
  },
  ...top,
});

const raw = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
const deliver = (body: unknown, secret = SECRET): WebhookVerdict => {
  const bytes = raw(body);
  return verifyAfterShipWebhook(bytes, { 'aftership-hmac-sha256': signAfterShipBody(secret, bytes) }, OPTIONS);
};
const reportOf = (verdict: WebhookVerdict): TrackingReport => {
  if (verdict.outcome !== 'REPORT') throw new Error(`expected a report, got ${JSON.stringify(verdict)}`);
  return verdict.report;
};
const stateful = (report: TrackingReport) => report.checkpoints.filter((c) => c.state !== null);

describe('AfterShip webhooks', () => {
  it('turns a genuine signed update into a report: our carrier code, the history, the state on the newest checkpoint', () => {
    const report = reportOf(deliver(webhook()));
    expect(report).toMatchObject({
      provider: 'aftership',
      eventKey: '6fa3ad0b-7f6e-4f4c-a7b0-2f1f0b9c1e21',
      providerEventType: 'tracking_update',
      carrierCode: 'sf-express',
      providerCarrierCode: 'sf-express',
      trackingNumber: 'SF1234567890',
    });
    expect(report.checkpoints).toEqual([
      {
        occurredAt: new Date('2026-03-09T02:00:00Z'),
        providerStatus: 'InTransit_002',
        state: null,
        message: 'Departed the facility',
        location: 'Shenzhen, Guangdong, China',
      },
      // No offset: read as UTC.
      {
        occurredAt: new Date('2026-03-10T09:30:00Z'),
        providerStatus: 'Delivered_001',
        state: 'DELIVERED',
        message: 'Delivered',
        location: 'Shenzhen, Guangdong, China',
      },
    ]);
    expect(AFTERSHIP_ACK).toEqual({ contentType: 'application/json', body: '{"received":true}' });
  });

  it('refuses a forged signature, a changed byte, a missing header, and any webhook while unconfigured', () => {
    const bytes = raw(webhook());
    const signature = signAfterShipBody(SECRET, bytes);
    expect(deliver(webhook(), 'a-guessed-secret')).toMatchObject({ outcome: 'REFUSED', refusal: 'SIGNATURE_INVALID' });
    const tampered = Buffer.from(bytes.toString().replace('SF1234567890', 'SF1234567891'));
    expect(verifyAfterShipWebhook(tampered, { 'aftership-hmac-sha256': signature }, OPTIONS)).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
    expect(verifyAfterShipWebhook(bytes, {}, OPTIONS)).toEqual({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
      reason: 'no aftership-hmac-sha256 header',
    });
    expect(verifyAfterShipWebhook(bytes, { 'aftership-hmac-sha256': 'not base64 at all' }, OPTIONS)).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
    expect(verifyAfterShipWebhook(bytes, { 'aftership-hmac-sha256': signature }, { secrets: [] })).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
  });

  it('accepts the previous secret during a rotation', () => {
    const bytes = raw(webhook());
    const verdict = verifyAfterShipWebhook(
      bytes,
      { 'AfterShip-Hmac-Sha256': signAfterShipBody('old-secret', bytes) },
      { secrets: [SECRET, 'old-secret'] },
    );
    expect(verdict.outcome).toBe('REPORT');
  });

  it('answers a signed but malformed body as unusable', () => {
    expect(deliver('{"event":')).toMatchObject({ outcome: 'REFUSED', refusal: 'UNUSABLE' });
    expect(deliver([1, 2])).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(webhook({}, { msg: 'nothing' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(webhook({ tracking_number: '' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(webhook({ checkpoints: 'none' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(webhook({ tracking_number: 'SF\u00001' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(webhook({ checkpoints: [] }, { ts: 'yesterday' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(webhook({}, { event_id: undefined }))).toMatchObject({ refusal: 'UNUSABLE' });
  });

  it('acknowledges and ignores a verified event that is not a tracking update', () => {
    expect(deliver(webhook({}, { event: 'edd_update' }))).toEqual({
      outcome: 'IGNORED',
      provider: 'aftership',
      eventKey: '6fa3ad0b-7f6e-4f4c-a7b0-2f1f0b9c1e21',
      providerEventType: 'edd_update',
      reason: 'not a tracking update',
    });
  });

  it('maps every tag, and the subtags that mean a refusal, a return or a loss', () => {
    expect(Object.keys(AFTERSHIP_TAG_STATES)).toEqual([...AFTERSHIP_TAGS]);
    for (const tag of AFTERSHIP_TAGS) {
      const report = reportOf(deliver(webhook({ tag, subtag: `${tag}_001`, checkpoints: [] })));
      const expected = AFTERSHIP_TAG_STATES[tag];
      expect(
        stateful(report).map((c) => c.state),
        tag,
      ).toEqual(expected ? [expected] : []);
    }
    expect(AFTERSHIP_TAG_STATES.Pending).toBeNull();
    expect(AFTERSHIP_TAG_STATES.Expired).toBe('EXCEPTION');
    expect(Object.entries(AFTERSHIP_SUBTAG_STATES)).toEqual([
      ['Exception_003', 'REJECTED'],
      ['Exception_010', 'RETURNING'],
      ['Exception_011', 'RETURNED_TO_SENDER'],
      ['Exception_013', 'LOST'],
    ]);
    for (const [subtag, state] of Object.entries(AFTERSHIP_SUBTAG_STATES)) {
      const report = reportOf(deliver(webhook({ tag: 'Exception', subtag, checkpoints: [] })));
      expect(stateful(report).map((c) => c.state)).toEqual([state]);
    }
    expect(afterShipState('Exception', 'Exception_005')).toBe('EXCEPTION');
    expect(afterShipState('InTransit', 'Exception_003')).toBe('IN_TRANSIT');
    expect(afterShipState('SomethingNew', null)).toBeNull();
  });

  it('dates a tag without checkpoints at ts, and a tag no checkpoint carries (Expired) at the newest checkpoint', () => {
    const bare = reportOf(deliver(webhook({ tag: 'InfoReceived', subtag: 'InfoReceived_001', checkpoints: [] })));
    expect(bare.checkpoints).toEqual([
      {
        occurredAt: new Date(1_773_136_200_000),
        providerStatus: 'InfoReceived_001',
        state: 'LABEL_CREATED',
        message: 'Delivered',
        location: null,
      },
    ]);
    const expired = reportOf(
      deliver(webhook({ tag: 'Expired', subtag: 'Expired_001', subtag_message: 'Expired', checkpoints: [TRANSIT] })),
    );
    expect(expired.checkpoints.map((c) => [c.providerStatus, c.state, c.occurredAt.toISOString()])).toEqual([
      ['InTransit_002', null, '2026-03-09T02:00:00.000Z'],
      ['Expired_001', 'EXCEPTION', '2026-03-09T02:00:00.000Z'],
    ]);
  });

  it('keeps the dedupe keys stable across a repeat, and for the checkpoints a later update lists again', () => {
    const keys = (report: TrackingReport) => report.checkpoints.map((c) => checkpointDedupeKey('aftership', c));
    const first = reportOf(deliver(webhook({ tag: 'InTransit', subtag: 'InTransit_002', checkpoints: [TRANSIT] }, { event_id: 'e1' })));
    const repeat = reportOf(deliver(webhook({ tag: 'InTransit', subtag: 'InTransit_002', checkpoints: [TRANSIT] }, { event_id: 'e1' })));
    expect(repeat.eventKey).toBe(first.eventKey);
    expect(keys(repeat)).toEqual(keys(first));
    const later = reportOf(deliver(webhook({}, { event_id: 'e2' })));
    expect(keys(later)).toContain(keys(first)[0]);
    expect(new Set(keys(later)).size).toBe(2);
  });
});
