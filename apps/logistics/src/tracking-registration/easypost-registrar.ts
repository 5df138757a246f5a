import { normaliseCarrierCode, providerCarrierCode } from '../providers/carrier-codes.js';
import { EasyPostClient } from '../providers/easypost/easypost-client.js';
import {
  carrierNotCarried,
  errorForStatus,
  PROVIDER_TIMEOUT_MS,
  type RegistrationRequest,
  type RegistrationResult,
  RetryableRegistrationError,
  type TrackingRegistrar,
} from './tracking-registrar.js';

export interface EasyPostRegistrarOptions {
  apiKey: string;
  /** EASYPOST_API_URL: the API base with its version (https://api.easypost.com/v2/). */
  apiUrl: string;
}

/**
 * Creates an EasyPost Tracker for the parcel through the official client. EasyPost answers a
 * tracker it already has (same code and carrier, same account, last three months) with that
 * tracker, so a repeat needs no special case: both are REGISTERED with the tracker's id.
 */
export class EasyPostRegistrar implements TrackingRegistrar {
  readonly provider = 'easypost' as const;
  readonly #client: EasyPostClient;

  constructor({ apiKey, apiUrl }: EasyPostRegistrarOptions) {
    // The client appends `trackers` to the base as it is: it must end with a slash.
    this.#client = new EasyPostClient(apiKey, { baseUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`, timeout: PROVIDER_TIMEOUT_MS });
  }

  async register(request: RegistrationRequest): Promise<RegistrationResult> {
    const carrier = providerCarrierCode(normaliseCarrierCode(request.carrierCode), 'easypost');
    if (carrier === null) throw carrierNotCarried(this.provider, request.carrierCode);
    try {
      const tracker = await this.#client.Tracker.create({ tracking_code: request.trackingNumber, carrier });
      return { outcome: 'REGISTERED', providerRef: typeof tracker?.id === 'string' ? tracker.id : null };
    } catch (error) {
      throw this.#classify(error);
    }
  }

  #classify(error: unknown): Error {
    const { statusCode, status, code, message } = (error ?? {}) as {
      statusCode?: unknown;
      status?: unknown;
      code?: unknown;
      message?: unknown;
    };
    // The client's API errors carry statusCode; an answer it could not read as an EasyPost error keeps superagent's status.
    const httpStatus = Number(statusCode ?? status);
    const text = `${String(message ?? error)}${typeof code === 'string' ? ` (${code})` : ''}`;
    if (!Number.isInteger(httpStatus) || httpStatus === 0) return new RetryableRegistrationError(this.provider, text);
    return errorForStatus(this.provider, httpStatus, text);
  }
}
