import { createHash, timingSafeEqual } from 'node:crypto';
import { normaliseCarrierCode } from '../carrier-codes.js';
import { placeCurrentState } from '../current-state.js';
import { parseProviderTime } from '../provider-times.js';
import { unusableReportReason } from '../report-checks.js';
import {
  signatureInvalid,
  type TrackingCheckpoint,
  type TrackingReport,
  unusable,
  type WebhookAck,
  type WebhookVerdict,
} from '../tracking-report.js';
import { cleanText, isObject, parseForm, parseJsonObject, placeOf, textOf, type WebhookHeaders } from '../webhook-input.js';
import { isKuaidi100StateCode, KUAIDI100_STATE_NAMES, kuaidi100State } from './kuaidi100-states.js';

/**
 * Kuaidi100 subscription pushes: a form with `param` (the JSON) and `sign`, the upper-case hex MD5 of
 * `param` followed by the salt we gave when subscribing. The signature covers `param` exactly as
 * received (after form decoding), so it is checked before the JSON is read. Each push carries the
 * whole history, newest first; its times have no offset and are China time.
 */
export const KUAIDI100_DEFAULT_UTC_OFFSET = '+08:00';

/** The answer Kuaidi100 documents for a push that was received; anything else makes it push again later. */
export const KUAIDI100_ACK: WebhookAck = {
  contentType: 'application/json',
  body: JSON.stringify({ result: true, returnCode: '200', message: '成功' }),
};

export interface Kuaidi100WebhookOptions {
  /** The salt, and during a rotation the previous one; empty: Kuaidi100 is not configured. */
  salts: readonly string[];
  /** The zone of Kuaidi100's times (KUAIDI100_UTC_OFFSET). */
  utcOffset?: string;
}

/** What Kuaidi100 does on its side; for tests and the benchmark. */
export function signKuaidi100Param(param: string, salt: string): string {
  return createHash('md5')
    .update(param + salt, 'utf8')
    .digest('hex')
    .toUpperCase();
}

function signedByKuaidi100(param: string, sign: string, salts: readonly string[]): boolean {
  // Hex: its case carries no meaning.
  const given = Buffer.from(sign.trim().toUpperCase(), 'utf8');
  return salts.some((salt) => {
    const expected = Buffer.from(signKuaidi100Param(param, salt), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** `headers` is unused (the signature is in the form); it is taken so that every provider is called alike. */
export function verifyKuaidi100Webhook(rawBody: Buffer, _headers: WebhookHeaders, options: Kuaidi100WebhookOptions): WebhookVerdict {
  const salts = options.salts.filter((salt) => salt.length > 0);
  if (salts.length === 0) return signatureInvalid('kuaidi100 pushes are not configured');
  const form = parseForm(rawBody);
  if (form.sign === undefined) return signatureInvalid('no sign field');
  if (form.param === undefined) return signatureInvalid('no param field to check the sign against');
  if (!signedByKuaidi100(form.param, form.sign, salts)) return signatureInvalid('kuaidi100 sign does not match');
  return parseKuaidi100Param(form.param, options.utcOffset ?? KUAIDI100_DEFAULT_UTC_OFFSET);
}

function parseKuaidi100Param(param: string, utcOffset: string): WebhookVerdict {
  const body = parseJsonObject(param);
  if (!body) return unusable('param is not a JSON object');
  const result = body.lastResult;
  if (!isObject(result)) return unusable('param has no lastResult');
  const trackingNumber = textOf(result.nu);
  const company = textOf(result.com);
  if (!trackingNumber || !company) return unusable('lastResult lacks nu or com');
  if (result.data !== undefined && result.data !== null && !Array.isArray(result.data)) return unusable('lastResult.data is not a list');

  const history: TrackingCheckpoint[] = [];
  for (const entry of (result.data as unknown[] | undefined) ?? []) {
    if (!isObject(entry)) continue;
    // A line without a readable time cannot be ordered; dropping it loses less than refusing the push.
    const occurredAt = parseProviderTime(entry.ftime ?? entry.time, utcOffset) ?? parseProviderTime(entry.time, utcOffset);
    if (!occurredAt) continue;
    history.push({
      occurredAt,
      providerStatus: cleanText(entry.status, 100),
      state: null,
      message: cleanText(entry.context),
      location: placeOf(entry.areaName ?? entry.location),
    });
  }

  const code = String(result.state ?? '').trim();
  const name = isKuaidi100StateCode(code) ? KUAIDI100_STATE_NAMES[code] : `state ${code}`;
  const status = textOf(body.status) ?? 'polling';
  const comOld = textOf(body.comOld);
  const comNew = textOf(body.comNew);
  const report: TrackingReport = {
    provider: 'kuaidi100',
    // Kuaidi100 gives a push no id: the same push re-sent is the same param, byte for byte.
    eventKey: createHash('sha256').update(param, 'utf8').digest('hex'),
    providerEventType: cleanText(status, 100),
    carrierCode: normaliseCarrierCode(company, 'kuaidi100'),
    providerCarrierCode: company,
    trackingNumber,
    checkpoints: placeCurrentState(history, {
      providerStatus: cleanText(name, 100),
      state: kuaidi100State(code),
      message: name,
      fallbackAt: null,
    }),
    finished: String(result.ischeck ?? '').trim() === '1',
    subscription: { status: cleanText(status, 100), message: cleanText(body.message) || null },
    ...(comNew
      ? { carrierChange: { from: comOld && normaliseCarrierCode(comOld, 'kuaidi100'), to: normaliseCarrierCode(comNew, 'kuaidi100') } }
      : {}),
  };
  const reason = unusableReportReason(report);
  return reason ? unusable(reason) : { outcome: 'REPORT', report };
}
