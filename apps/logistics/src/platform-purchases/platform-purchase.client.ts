import { signTimestamped } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { LogisticsConfig } from '../config/logistics-config.js';

/** What we ask the platform to buy and send for one sub-order (docs/logistics-webhooks.md, "Purchases"). */
export interface PlatformPurchaseRequest {
  /** Our sub-order id: the platform's idempotency key, and what its parcel webhooks name as `purchaseRef`. */
  purchaseRef: string;
  orderId: string;
  lines: { skuId: string; name: string; quantity: number }[];
  receiver: unknown;
  deliverySlot: unknown;
}

export type PlatformPurchaseResult =
  | { outcome: 'PLACED'; platformRef: string | null }
  /**
   * Worth trying again later: the platform was down, slow or busy. `maybePlaced`: it may have
   * placed it all the same (no answer, a timeout, a 5xx other than 503); 503 and 429 say it did not.
   */
  | { outcome: 'RETRY'; error: string; maybePlaced: boolean }
  /** The platform will never take it as it is. */
  | { outcome: 'REFUSED'; error: string };

/** The header our purchase requests are signed with, in the timestamped scheme of the platform's own webhooks. */
export const PURCHASE_SIGNATURE_HEADER = 'mallard-signature';

const TIMEOUT_MS = 10_000;

/**
 * Places purchases with the third-party platform: `POST <PLATFORM_API_URL>/purchases`, signed,
 * idempotent on `purchaseRef` (the platform answers 409 with the same purchase when it has it).
 */
@Injectable()
export class PlatformPurchaseClient {
  constructor(private readonly config: LogisticsConfig) {}

  get configured(): boolean {
    return this.config.PLATFORM_API_URL !== '';
  }

  async place(purchase: PlatformPurchaseRequest): Promise<PlatformPurchaseResult> {
    const body = JSON.stringify(purchase);
    try {
      const answer = await request(new URL('purchases', withSlash(this.config.PLATFORM_API_URL)), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PURCHASE_SIGNATURE_HEADER]: signTimestamped(this.config.PLATFORM_API_SECRET, body),
        },
        body,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      const text = await answer.body.text();
      if (answer.statusCode === 200 || answer.statusCode === 201 || answer.statusCode === 409) {
        return { outcome: 'PLACED', platformRef: platformRefOf(text) };
      }
      const error = `platform answered ${answer.statusCode}: ${text.slice(0, 200)}`;
      if (answer.statusCode === 429 || answer.statusCode === 503) return { outcome: 'RETRY', error, maybePlaced: false };
      return answer.statusCode >= 500 ? { outcome: 'RETRY', error, maybePlaced: true } : { outcome: 'REFUSED', error };
    } catch (error) {
      // Refused before it was sent is a definite no; anything later (a timeout, a dropped answer) may have placed it.
      const notSent = (error as { code?: string }).code === 'ECONNREFUSED';
      return { outcome: 'RETRY', error: `platform unreachable: ${(error as Error).message}`, maybePlaced: !notSent };
    }
  }
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

function platformRefOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { platformRef?: unknown };
    return typeof parsed.platformRef === 'string' ? parsed.platformRef : null;
  } catch {
    return null;
  }
}
