import type { PaymentProviderName, TenderType } from '@mallard/contracts';

/**
 * The tenders of one payment, checked and priced: pure rules, no database. Points are valued
 * at the configured rate: `pointsPerUnit` points are worth one currency unit = 100 minor units.
 */
export type TenderInput =
  | { type: 'GIFT_CARD'; code: string; amountMinor: number }
  | { type: 'POINTS'; points: number }
  | { type: 'PROVIDER'; provider: PaymentProviderName; amountMinor: number };

export interface PlannedTender {
  type: TenderType;
  amountMinor: number;
  giftCardCode: string | null;
  points: number | null;
  provider: PaymentProviderName | null;
}

export interface TenderPlan {
  tenders: PlannedTender[];
  totalMinor: number;
  providerPart: PlannedTender | null;
}

export type TenderErrorCode =
  | 'NO_TENDERS'
  | 'DUPLICATE_GIFT_CARD'
  | 'MORE_THAN_ONE_POINTS'
  | 'MORE_THAN_ONE_PROVIDER'
  | 'POINTS_NOT_CONVERTIBLE'
  | 'TOTAL_MISMATCH'
  | 'NOTHING_TO_PAY';

export class TenderError extends Error {
  override readonly name = 'TenderError';
  constructor(
    readonly code: TenderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The value of `points` in minor units, or null when it is not a whole number of them. */
export function pointsToMinor(points: number, pointsPerUnit: number): number | null {
  // Integer arithmetic: points × 100 can pass 2^53, where a float silently rounds.
  const scaled = BigInt(points) * 100n;
  const rate = BigInt(pointsPerUnit);
  if (scaled % rate !== 0n) return null;
  const minor = scaled / rate;
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : null;
}

/**
 * The points to give back when a points tender worth `tenderMinor` (paid with `tenderPoints`)
 * has `refundedBefore` minor units refunded and now `refundNow` more. Rounded down per step and
 * exact in total: once the whole tender is refunded, every point it took is back.
 */
export function pointsForRefund(tenderPoints: number, tenderMinor: number, refundedBefore: number, refundNow: number): number {
  // minor × points passes 2^53 from about 10^8 points on a large tender: BigInt, floor division.
  const upTo = (minor: number) => (BigInt(minor) * BigInt(tenderPoints)) / BigInt(tenderMinor);
  return Number(upTo(refundedBefore + refundNow) - upTo(refundedBefore));
}

export function planTenders(payableMinor: number, inputs: TenderInput[], pointsPerUnit: number): TenderPlan {
  if (payableMinor <= 0) throw new TenderError('NOTHING_TO_PAY', 'the order has nothing to pay');
  if (inputs.length === 0) throw new TenderError('NO_TENDERS', 'a payment needs at least one tender');
  const codes = new Set<string>();
  let pointsSeen = 0;
  let providersSeen = 0;
  const tenders: PlannedTender[] = inputs.map((input) => {
    switch (input.type) {
      case 'GIFT_CARD':
        if (codes.has(input.code)) throw new TenderError('DUPLICATE_GIFT_CARD', `gift card ${input.code} is listed twice`);
        codes.add(input.code);
        return { type: 'GIFT_CARD', amountMinor: input.amountMinor, giftCardCode: input.code, points: null, provider: null };
      case 'POINTS': {
        pointsSeen += 1;
        if (pointsSeen > 1) throw new TenderError('MORE_THAN_ONE_POINTS', 'points are one tender');
        const value = pointsToMinor(input.points, pointsPerUnit);
        if (value === null || value === 0) {
          throw new TenderError(
            'POINTS_NOT_CONVERTIBLE',
            `${input.points} points are not a whole number of minor units at ${pointsPerUnit} points per 100 minor units`,
          );
        }
        return { type: 'POINTS', amountMinor: value, giftCardCode: null, points: input.points, provider: null };
      }
      case 'PROVIDER':
        providersSeen += 1;
        if (providersSeen > 1) throw new TenderError('MORE_THAN_ONE_PROVIDER', 'at most one external provider per payment');
        return { type: 'PROVIDER', amountMinor: input.amountMinor, giftCardCode: null, points: null, provider: input.provider };
      default:
        throw new Error(`unknown tender type ${String((input as { type: unknown }).type)}`);
    }
  });
  const totalMinor = tenders.reduce((sum, tender) => sum + tender.amountMinor, 0);
  if (totalMinor !== payableMinor) {
    throw new TenderError(
      'TOTAL_MISMATCH',
      `the tenders add up to ${totalMinor} minor units; the order's payable amount is ${payableMinor}`,
    );
  }
  return { tenders, totalMinor, providerPart: tenders.find((tender) => tender.type === 'PROVIDER') ?? null };
}
