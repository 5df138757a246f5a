import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointDedupeKey, type TrackingReport, type WebhookVerdict } from '../tracking-report.js';
import { KUAIDI100_STATE_CODES, KUAIDI100_STATE_NAMES, KUAIDI100_STATES, kuaidi100State } from './kuaidi100-states.js';
import { KUAIDI100_ACK, signKuaidi100Param, verifyKuaidi100Webhook } from './kuaidi100-webhook.js';

const SALT = 'kuaidi100-unit-salt';
const OPTIONS = { salts: [SALT] };
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

const line = (ftime: string, status: string, context: string) => ({ time: ftime, ftime, context, status, areaName: '广东,深圳市' });
const COLLECTED = line('2026-03-09 18:00:00', '揽收', '【深圳市】顺丰速运 已收取快件');
const MOVING = line('2026-03-10 09:30:00', '在途', '【深圳市】快件已发往 北京');

const push = (result: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  status: 'polling',
  billstatus: 'got',
  message: '',
  autoCheck: '0',
  comOld: '',
  comNew: '',
  lastResult: {
    message: 'ok',
    nu: 'SF1234567890',
    ischeck: '0',
    condition: 'F00',
    com: 'shunfeng',
    status: '200',
    state: '0',
    data: [MOVING, COLLECTED],
    ...result,
  },
  ...top,
});

const form = (param: string, sign: string | null = signKuaidi100Param(param, SALT)): Buffer => {
  const fields = new URLSearchParams({ param });
  if (sign !== null) fields.set('sign', sign);
  return Buffer.from(fields.toString());
};
const deliver = (body: unknown): WebhookVerdict =>
  verifyKuaidi100Webhook(form(typeof body === 'string' ? body : JSON.stringify(body)), FORM_HEADERS, OPTIONS);
const reportOf = (verdict: WebhookVerdict): TrackingReport => {
  if (verdict.outcome !== 'REPORT') throw new Error(`expected a report, got ${JSON.stringify(verdict)}`);
  return verdict.report;
};
const stateful = (report: TrackingReport) => report.checkpoints.filter((c) => c.state !== null);

describe('Kuaidi100 pushes', () => {
  it('turns a genuine signed push into a report: China time, the state on the newest line, the push’s digest as its key', () => {
    const param = JSON.stringify(push());
    const report = reportOf(verifyKuaidi100Webhook(form(param), FORM_HEADERS, OPTIONS));
    expect(report).toEqual({
      provider: 'kuaidi100',
      eventKey: createHash('sha256').update(param).digest('hex'),
      providerEventType: 'polling',
      carrierCode: 'sf-express',
      providerCarrierCode: 'shunfeng',
      trackingNumber: 'SF1234567890',
      checkpoints: [
        {
          occurredAt: new Date('2026-03-10T01:30:00Z'),
          providerStatus: '在途',
          state: 'IN_TRANSIT',
          message: MOVING.context,
          location: '广东,深圳市',
        },
        {
          occurredAt: new Date('2026-03-09T10:00:00Z'),
          providerStatus: '揽收',
          state: null,
          message: COLLECTED.context,
          location: '广东,深圳市',
        },
      ],
      finished: false,
      subscription: { status: 'polling', message: null },
    });
  });

  it('answers with the acknowledgement Kuaidi100 documents', () => {
    expect(KUAIDI100_ACK).toEqual({ contentType: 'application/json', body: '{"result":true,"returnCode":"200","message":"成功"}' });
  });

  it('refuses a forged sign, a changed param, a missing sign or param, and any push while unconfigured', () => {
    const param = JSON.stringify(push());
    expect(verifyKuaidi100Webhook(form(param, signKuaidi100Param(param, 'a-guessed-salt')), FORM_HEADERS, OPTIONS)).toMatchObject({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
    });
    const sign = signKuaidi100Param(param, SALT);
    expect(verifyKuaidi100Webhook(form(param.replace('SF1234567890', 'SF1234567891'), sign), FORM_HEADERS, OPTIONS)).toMatchObject({
      refusal: 'SIGNATURE_INVALID',
    });
    expect(verifyKuaidi100Webhook(form(param, null), FORM_HEADERS, OPTIONS)).toEqual({
      outcome: 'REFUSED',
      refusal: 'SIGNATURE_INVALID',
      reason: 'no sign field',
    });
    expect(verifyKuaidi100Webhook(Buffer.from(`sign=${sign}`), FORM_HEADERS, OPTIONS)).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
    expect(verifyKuaidi100Webhook(form(param), FORM_HEADERS, { salts: [] })).toMatchObject({ refusal: 'SIGNATURE_INVALID' });
  });

  it('takes the sign in either case, and the previous salt during a rotation', () => {
    const param = JSON.stringify(push());
    expect(verifyKuaidi100Webhook(form(param, signKuaidi100Param(param, SALT).toLowerCase()), FORM_HEADERS, OPTIONS).outcome).toBe(
      'REPORT',
    );
    expect(
      verifyKuaidi100Webhook(form(param, signKuaidi100Param(param, 'old-salt')), FORM_HEADERS, { salts: [SALT, 'old-salt'] }).outcome,
    ).toBe('REPORT');
  });

  it('answers a signed but malformed push as unusable', () => {
    expect(deliver('{"lastResult":')).toMatchObject({ outcome: 'REFUSED', refusal: 'UNUSABLE' });
    expect(deliver({ status: 'polling' })).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(push({ nu: '' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(push({ data: 'none' }))).toMatchObject({ refusal: 'UNUSABLE' });
    expect(deliver(push({ nu: 'SF\u00001' }))).toMatchObject({ refusal: 'UNUSABLE' });
  });

  it('maps every state code, as a string or a number; any other code is history only', () => {
    expect(Object.keys(KUAIDI100_STATES).sort()).toEqual([...KUAIDI100_STATE_CODES].sort());
    for (const code of KUAIDI100_STATE_CODES) {
      const named = reportOf(
        deliver(push({ state: code, data: [line('2026-03-10 09:30:00', KUAIDI100_STATE_NAMES[code], 'x'), COLLECTED] })),
      );
      expect(
        stateful(named).map((c) => c.state),
        code,
      ).toEqual([KUAIDI100_STATES[code]]);
      expect(named.checkpoints).toHaveLength(2);
      const numeric = reportOf(deliver(push({ state: Number(code) })));
      expect(
        stateful(numeric).map((c) => c.state),
        code,
      ).toEqual([KUAIDI100_STATES[code]]);
    }
    expect(KUAIDI100_STATES['14']).toBe('REJECTED');
    expect(KUAIDI100_STATES['4']).toBe('RETURNED_TO_SENDER');
    expect(stateful(reportOf(deliver(push({ state: '9' }))))).toEqual([]);
    expect(kuaidi100State(undefined)).toBeNull();
  });

  it('puts a state its newest line does not name on a line of its own, at that line’s time', () => {
    const report = reportOf(deliver(push({ state: '2' })));
    expect(report.checkpoints.map((c) => [c.providerStatus, c.state, c.occurredAt.toISOString()])).toEqual([
      ['在途', null, '2026-03-10T01:30:00.000Z'],
      ['揽收', null, '2026-03-09T10:00:00.000Z'],
      ['疑难', 'EXCEPTION', '2026-03-10T01:30:00.000Z'],
    ]);
  });

  it('tells a finished tracking, the subscription’s end, and a change of carrier', () => {
    const signed = reportOf(deliver(push({ state: '3', ischeck: '1' }, { status: 'shutdown' })));
    expect(signed.finished).toBe(true);
    expect(signed.subscription).toEqual({ status: 'shutdown', message: null });
    const aborted = reportOf(deliver(push({ data: [] }, { status: 'abort', message: '3天查询无记录' })));
    expect(aborted.checkpoints).toEqual([]);
    expect(aborted.subscription).toEqual({ status: 'abort', message: '3天查询无记录' });
    const moved = reportOf(deliver(push({ state: '7' }, { autoCheck: '1', comOld: 'shunfeng', comNew: 'zhongtong' })));
    expect(moved.carrierChange).toEqual({ from: 'sf-express', to: 'zto' });
    expect(stateful(moved).map((c) => c.state)).toEqual(['IN_TRANSIT']);
  });

  it('reads the times in the configured zone', () => {
    const report = reportOf(verifyKuaidi100Webhook(form(JSON.stringify(push())), FORM_HEADERS, { ...OPTIONS, utcOffset: 'Z' }));
    expect(report.checkpoints[0].occurredAt.toISOString()).toBe('2026-03-10T09:30:00.000Z');
  });

  it('keeps the dedupe keys stable across a repeat, and for the lines a later push lists again', () => {
    const keys = (report: TrackingReport) => report.checkpoints.map((c) => checkpointDedupeKey('kuaidi100', c));
    const first = reportOf(deliver(push({ data: [COLLECTED], state: '1' })));
    const repeat = reportOf(deliver(push({ data: [COLLECTED], state: '1' })));
    expect(repeat.eventKey).toBe(first.eventKey);
    expect(keys(repeat)).toEqual(keys(first));
    const later = reportOf(deliver(push()));
    expect(later.eventKey).not.toBe(first.eventKey);
    expect(keys(later)[1]).toBe(keys(first)[0]);
  });
});
