import type { AfterSalesReason, AfterSalesType, ParcelState } from '@mallard/contracts';

/*
 * Which units a shopper may ask about (docs/domain.md §8):
 *
 * 1. A request names units of lines in the sub-orders that carried them, each piece once, all of one
 *    merchant (customer service and refunds are per merchant).
 * 2. Units must have been delivered: a piece's delivered units are those in its sub-order's DELIVERED
 *    parcels. Less what earlier requests claim (every request but a rejected one) is what may be asked.
 * 3. Within the merchant's window after delivery: counted from the piece's latest delivery.
 * 4. The exception: a REFUND_ONLY for NOT_RECEIVED asks about units a carrier has and has not
 *    delivered, once NOT_ARRIVED_AFTER_DAYS have passed since it took them, or at once when the
 *    carrier reports the parcel LOST. NOT_RECEIVED is for a refund only.
 */

/** A parcel state in which the carrier has the goods and has not delivered them yet. */
const UNDELIVERED_WITH_CARRIER: ReadonlySet<ParcelState> = new Set([
  'PICKED_UP',
  'IN_TRANSIT',
  'EXCEPTION',
  'DELIVERY_FAILED',
  'OUT_FOR_DELIVERY',
  'AVAILABLE_FOR_PICKUP',
]);

const DAY_MS = 24 * 3600 * 1000;

export interface PieceFacts {
  subOrderId: string;
  lineId: string;
  skuId: string;
  merchantId: string;
  quantity: number;
}

export interface ParcelFacts {
  subOrderId: string;
  state: ParcelState;
  lines: readonly { lineId: string; quantity: number }[];
  /** When the carrier took it (its first PICKED_UP or later state). */
  handedOverAt: Date | null;
  deliveredAt: Date | null;
}

export interface UnitsRef {
  subOrderId: string;
  lineId: string;
  quantity: number;
}

export interface EligibilityInput {
  type: AfterSalesType;
  reason: AfterSalesReason;
  lines: readonly UnitsRef[];
  pieces: readonly PieceFacts[];
  parcels: readonly ParcelFacts[];
  /** Units earlier requests of the order claim (all but rejected ones), with the reason they gave. */
  claimed: readonly (UnitsRef & { reason: AfterSalesReason })[];
  now: Date;
  windowDaysOf: (merchantId: string) => number;
  notArrivedAfterDays: number;
}

export type IneligibleReason =
  | 'UNKNOWN_LINE'
  | 'LINE_NAMED_TWICE'
  | 'SPANS_MERCHANTS'
  | 'NOT_DELIVERED'
  | 'OUTSIDE_WINDOW'
  | 'QUANTITY_EXCEEDS'
  | 'NOT_RECEIVED_IS_REFUND_ONLY'
  | 'TOO_EARLY_FOR_NOT_RECEIVED';

export type Eligibility =
  | { eligible: true; merchantId: string; lines: (UnitsRef & { skuId: string })[] }
  | {
      eligible: false;
      reason: IneligibleReason;
      detail: string;
      subOrderId?: string;
      lineId?: string;
      allowedFrom?: Date;
      available?: number;
    };

const keyOf = (subOrderId: string, lineId: string) => `${subOrderId}/${lineId}`;

export function judgeEligibility(input: EligibilityInput): Eligibility {
  if (input.reason === 'NOT_RECEIVED' && input.type !== 'REFUND_ONLY') {
    return {
      eligible: false,
      reason: 'NOT_RECEIVED_IS_REFUND_ONLY',
      detail: 'a parcel that never arrived is refunded with a REFUND_ONLY request',
    };
  }
  const pieces = new Map(input.pieces.map((piece) => [keyOf(piece.subOrderId, piece.lineId), piece]));
  // Units never delivered (NOT_RECEIVED) and delivered ones are claimed from pools of their own;
  // together no more than the piece had.
  const claimed = new Map<string, Claims>();
  for (const units of input.claimed) {
    const key = keyOf(units.subOrderId, units.lineId);
    const claims = claimed.get(key) ?? { notReceived: 0, delivered: 0 };
    if (units.reason === 'NOT_RECEIVED') claims.notReceived += units.quantity;
    else claims.delivered += units.quantity;
    claimed.set(key, claims);
  }
  const seen = new Set<string>();
  const merchants = new Set<string>();
  const lines: (UnitsRef & { skuId: string })[] = [];
  for (const line of input.lines) {
    const key = keyOf(line.subOrderId, line.lineId);
    const at = { subOrderId: line.subOrderId, lineId: line.lineId };
    const piece = pieces.get(key);
    if (!piece)
      return {
        eligible: false,
        reason: 'UNKNOWN_LINE',
        detail: `sub-order ${line.subOrderId} of this order has no line ${line.lineId}`,
        ...at,
      };
    if (seen.has(key))
      return {
        eligible: false,
        reason: 'LINE_NAMED_TWICE',
        detail: `line ${line.lineId} of sub-order ${line.subOrderId} is named twice`,
        ...at,
      };
    seen.add(key);
    merchants.add(piece.merchantId);
    const claims = claimed.get(key) ?? { notReceived: 0, delivered: 0 };
    const refused =
      input.reason === 'NOT_RECEIVED'
        ? judgeNotReceived(input, piece, claims, line.quantity)
        : judgeDelivered(input, piece, claims, line.quantity);
    if (refused) return { eligible: false, ...refused, ...at };
    lines.push({ ...line, skuId: piece.skuId });
  }
  if (merchants.size > 1) {
    return {
      eligible: false,
      reason: 'SPANS_MERCHANTS',
      detail: `the units come from ${merchants.size} merchants: make one request per merchant`,
    };
  }
  return { eligible: true, merchantId: [...merchants][0], lines };
}

type Refusal = { reason: IneligibleReason; detail: string; allowedFrom?: Date; available?: number };

interface Claims {
  notReceived: number;
  delivered: number;
}

function parcelsOf(input: EligibilityInput, piece: PieceFacts) {
  return input.parcels
    .filter((parcel) => parcel.subOrderId === piece.subOrderId)
    .map((parcel) => ({ parcel, units: parcel.lines.filter((l) => l.lineId === piece.lineId).reduce((sum, l) => sum + l.quantity, 0) }))
    .filter(({ units }) => units > 0);
}

function judgeDelivered(input: EligibilityInput, piece: PieceFacts, claims: Claims, asked: number): Refusal | null {
  const delivered = parcelsOf(input, piece).filter(({ parcel }) => parcel.state === 'DELIVERED' && parcel.deliveredAt !== null);
  const units = delivered.reduce((sum, { units }) => sum + units, 0);
  if (units === 0)
    return { reason: 'NOT_DELIVERED', detail: `no unit of line ${piece.lineId} in sub-order ${piece.subOrderId} has been delivered yet` };
  const latest = Math.max(...delivered.map(({ parcel }) => parcel.deliveredAt!.getTime()));
  const days = input.windowDaysOf(piece.merchantId);
  if (input.now.getTime() > latest + days * DAY_MS) {
    return {
      reason: 'OUTSIDE_WINDOW',
      detail: `after-sales for line ${piece.lineId} closed ${days} days after its delivery, on ${new Date(latest + days * DAY_MS).toISOString()}`,
    };
  }
  return exceeds(piece, units, claims.delivered, claims, asked, 'delivered');
}

function judgeNotReceived(input: EligibilityInput, piece: PieceFacts, claims: Claims, asked: number): Refusal | null {
  const cutoff = input.now.getTime() - input.notArrivedAfterDays * DAY_MS;
  let due = 0;
  let earliestLater: number | null = null;
  for (const { parcel, units } of parcelsOf(input, piece)) {
    if (parcel.state === 'LOST') due += units;
    else if (UNDELIVERED_WITH_CARRIER.has(parcel.state) && parcel.handedOverAt) {
      const at = parcel.handedOverAt.getTime();
      if (at <= cutoff) due += units;
      else earliestLater = Math.min(earliestLater ?? at, at);
    }
  }
  if (due === 0 && earliestLater !== null) {
    const allowedFrom = new Date(earliestLater + input.notArrivedAfterDays * DAY_MS);
    return {
      reason: 'TOO_EARLY_FOR_NOT_RECEIVED',
      detail: `the carrier took line ${piece.lineId} less than ${input.notArrivedAfterDays} days ago: ask again from ${allowedFrom.toISOString()}`,
      allowedFrom,
    };
  }
  if (due === 0)
    return {
      reason: 'NOT_DELIVERED',
      detail: `no unit of line ${piece.lineId} in sub-order ${piece.subOrderId} is with a carrier undelivered`,
    };
  return exceeds(piece, due, claims.notReceived, claims, asked, 'with the carrier undelivered long enough');
}

function exceeds(piece: PieceFacts, units: number, claimedHere: number, claims: Claims, asked: number, what: string): Refusal | null {
  const claimed = claims.notReceived + claims.delivered;
  const available = Math.max(0, Math.min(units - claimedHere, piece.quantity - claimed));
  if (asked <= available) return null;
  return {
    reason: 'QUANTITY_EXCEEDS',
    detail: `line ${piece.lineId} of sub-order ${piece.subOrderId}: ${asked} asked, ${units} ${what}, ${claimed} claimed by earlier requests`,
    available,
  };
}
