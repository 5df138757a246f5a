import { request } from 'undici';
import { normaliseCarrierCode, providerCarrierCode } from '../providers/carrier-codes.js';
import {
  carrierNotCarried,
  errorForStatus,
  PermanentRegistrationError,
  PROVIDER_TIMEOUT_MS,
  type RegistrationRequest,
  type RegistrationResult,
  RetryableRegistrationError,
  type TrackingRegistrar,
} from './tracking-registrar.js';

export interface Kuaidi100RegistrarOptions {
  /** KUAIDI100_KEY: the enterprise account's 授权码. */
  key: string;
  /** KUAIDI100_API_URL: the poll subscription endpoint. */
  apiUrl: string;
  /** KUAIDI100_CALLBACK_URL: where Kuaidi100 pushes this parcel's updates. */
  callbackUrl: string;
  /** KUAIDI100_SALT: Kuaidi100 signs each push with it, and our webhook checks that signature. */
  salt: string;
}

/** The subscription's `param` as Kuaidi100 documents it. */
export interface Kuaidi100Subscription {
  company: string;
  number: string;
  key: string;
  parameters: { callbackurl: string; salt: string; resultv2: '1'; phone?: string };
}

/**
 * Subscribes a parcel to Kuaidi100's pushes (there is no official Node SDK): a form POST of
 * `schema=json` and `param`, answered with `{ result, returnCode, message }`. 200 is subscribed;
 * 501 means it is subscribed already and being tracked; 500 is their server failing; any other
 * code (a bad key, an unknown carrier or number) will not change by asking again.
 */
export class Kuaidi100Registrar implements TrackingRegistrar {
  readonly provider = 'kuaidi100' as const;

  constructor(private readonly options: Kuaidi100RegistrarOptions) {}

  async register(registration: RegistrationRequest): Promise<RegistrationResult> {
    const company = providerCarrierCode(normaliseCarrierCode(registration.carrierCode), 'kuaidi100');
    if (company === null) throw carrierNotCarried(this.provider, registration.carrierCode);
    const phone = kuaidi100Phone(registration.receiverPhone);
    const param: Kuaidi100Subscription = {
      company,
      number: registration.trackingNumber,
      key: this.options.key,
      parameters: { callbackurl: this.options.callbackUrl, salt: this.options.salt, resultv2: '1', ...(phone ? { phone } : {}) },
    };
    let status: number;
    let text: string;
    try {
      const response = await request(this.options.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ schema: 'json', param: JSON.stringify(param) }).toString(),
        headersTimeout: PROVIDER_TIMEOUT_MS,
        bodyTimeout: PROVIDER_TIMEOUT_MS,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new RetryableRegistrationError(this.provider, `no answer: ${(error as Error).message}`);
    }
    if (status < 200 || status >= 300) throw errorForStatus(this.provider, status, `HTTP ${status}: ${text.slice(0, 200)}`);
    let answer: { result?: unknown; returnCode?: unknown; message?: unknown };
    try {
      answer = JSON.parse(text);
    } catch {
      throw new RetryableRegistrationError(this.provider, `unreadable answer: ${text.slice(0, 200)}`, status);
    }
    const returnCode = String(answer?.returnCode ?? '');
    const message = `returnCode ${returnCode || '(none)'}: ${String(answer?.message ?? '')}`;
    if (returnCode === '200' || (returnCode === '' && answer?.result === true)) return { outcome: 'REGISTERED', providerRef: null };
    if (returnCode === '501') return { outcome: 'ALREADY_REGISTERED', providerRef: null };
    if (returnCode === '500') throw new RetryableRegistrationError(this.provider, message, status);
    throw new PermanentRegistrationError(this.provider, message, status);
  }
}

/** Kuaidi100 matches the phone against the carrier's record, which holds the domestic number: no +86, no spaces. */
export function kuaidi100Phone(phone: string | undefined): string | undefined {
  const digits = phone
    ?.trim()
    .replace(/^(\+|00)86/, '')
    .replace(/\D/g, '');
  return digits ? digits : undefined;
}
