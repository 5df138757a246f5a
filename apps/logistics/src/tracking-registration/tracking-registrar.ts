import type { TrackingCodeVocabulary } from '../providers/carrier-codes.js';

/** The tracking providers we register parcels with; each spells carriers in its own vocabulary. */
export type RegistrationProvider = TrackingCodeVocabulary;

/** One handed-over parcel, or an after-sales return parcel, to register with a tracking provider. */
export interface RegistrationRequest {
  /** The parcel's id, or the return parcel's. */
  parcelId: string;
  orderId: string;
  /** Our carrier code (providers/carrier-codes.ts); each adapter spells it the provider's way. */
  carrierCode: string;
  trackingNumber: string;
  /** The receiver's phone (a return parcel's sender's: the shopper): Kuaidi100 needs one of them to track SF Express. */
  receiverPhone?: string;
  /** ISO 3166-1 alpha-2, as the order's receiver address has it; unknown for a return parcel, which goes to the merchant. */
  destinationCountry?: string;
}

export type RegistrationResult =
  /** The provider took it on; `providerRef` is its id for the tracking, when it gives one. */
  | { outcome: 'REGISTERED'; providerRef: string | null }
  /** The provider already tracks it (an earlier attempt got through, or someone else registered it): as good as registered. */
  | { outcome: 'ALREADY_REGISTERED'; providerRef: string | null };

/** What the registration worker calls; one adapter per provider. */
export interface TrackingRegistrar {
  readonly provider: RegistrationProvider;
  register(request: RegistrationRequest): Promise<RegistrationResult>;
}

/** Worth trying again later: the provider could not be reached, was busy (429) or failed (5xx). */
export class RetryableRegistrationError extends Error {
  override readonly name = 'RetryableRegistrationError';
  constructor(
    readonly provider: RegistrationProvider,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** Trying again would get the same answer: the provider refused the request (a bad carrier or tracking number, a bad key). */
export class PermanentRegistrationError extends Error {
  override readonly name = 'PermanentRegistrationError';
  constructor(
    readonly provider: RegistrationProvider,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** How long an adapter waits for a provider's answer; the worker's claim on a registration outlasts it. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/**
 * The error an HTTP answer other than success stands for: 408, 429 and 5xx say nothing about the
 * request and are retried; any other 4xx is the provider refusing it.
 */
export function errorForStatus(provider: RegistrationProvider, status: number, message: string): Error {
  return status === 408 || status === 429 || status >= 500
    ? new RetryableRegistrationError(provider, message, status)
    : new PermanentRegistrationError(provider, message, status);
}

/** The provider's spelling of a carrier it does not carry is no request worth sending. */
export function carrierNotCarried(provider: RegistrationProvider, carrierCode: string): PermanentRegistrationError {
  return new PermanentRegistrationError(provider, `does not carry ${carrierCode} (providers/carrier-codes.ts)`);
}
