import { AfterShip, AfterShipErrorCodes, AftershipError } from '@aftership/tracking-sdk';
import { normaliseCarrierCode, providerCarrierCode } from '../providers/carrier-codes.js';
import { alpha3Of } from './country-codes.js';
import {
  carrierNotCarried,
  errorForStatus,
  PROVIDER_TIMEOUT_MS,
  type RegistrationRequest,
  type RegistrationResult,
  RetryableRegistrationError,
  type TrackingRegistrar,
} from './tracking-registrar.js';

export interface AfterShipRegistrarOptions {
  apiKey: string;
  /** AFTERSHIP_API_URL: the API's origin; the SDK adds the versioned path (/tracking/2026-07/trackings). */
  apiUrl: string;
}

/**
 * Registers a parcel with AfterShip through its official SDK: `createTracking` with the carrier's
 * slug, the tracking number, our order id and, when we know its alpha-3 code, the destination.
 * AfterShip answers a tracking it already has with meta code 4003, which is as good as a new one.
 */
export class AfterShipRegistrar implements TrackingRegistrar {
  readonly provider = 'aftership' as const;
  readonly #client: AfterShip;

  constructor({ apiKey, apiUrl }: AfterShipRegistrarOptions) {
    this.#client = new AfterShip({
      api_key: apiKey,
      // The SDK refuses a domain that ends with a slash.
      domain: apiUrl.replace(/\/+$/, ''),
      // The registration queue retries with its own backoff; the SDK's retries would only stretch one attempt.
      max_retry: 0,
      timeout: PROVIDER_TIMEOUT_MS,
    });
  }

  async register(request: RegistrationRequest): Promise<RegistrationResult> {
    const slug = providerCarrierCode(normaliseCarrierCode(request.carrierCode), 'aftership');
    if (slug === null) throw carrierNotCarried(this.provider, request.carrierCode);
    const destination = alpha3Of(request.destinationCountry);
    try {
      const created = await this.#client.tracking.createTracking({
        slug,
        tracking_number: request.trackingNumber,
        order_id: request.orderId,
        ...(destination ? { destination_country_region: destination } : {}),
      });
      return { outcome: 'REGISTERED', providerRef: created.data?.id ?? null };
    } catch (error) {
      if (error instanceof AftershipError && error.code === AfterShipErrorCodes.TRACKING_ALREADY_EXIST) {
        return { outcome: 'ALREADY_REGISTERED', providerRef: existingTrackingId(error.response_body) };
      }
      throw this.#classify(error);
    }
  }

  #classify(error: unknown): Error {
    if (!(error instanceof AftershipError))
      return new RetryableRegistrationError(this.provider, String((error as Error)?.message ?? error));
    const status = Number(error.status_code);
    const message = `${error.message}${error.meta_code ? ` (meta code ${error.meta_code})` : ''}`;
    // No status: the request timed out or never reached AfterShip.
    if (!Number.isInteger(status) || status === 0) return new RetryableRegistrationError(this.provider, message);
    return errorForStatus(this.provider, status, message);
  }
}

/** AfterShip may name the tracking it already has in the 4003 answer; the SDK keeps that body as JSON text. */
function existingTrackingId(body: unknown): string | null {
  try {
    const data = (typeof body === 'string' ? JSON.parse(body) : body)?.data;
    const id = data?.id ?? data?.tracking?.id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch {
    return null;
  }
}
