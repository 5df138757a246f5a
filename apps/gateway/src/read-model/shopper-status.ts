import {
  AFTER_SALES_END_STATES,
  type AfterSalesState,
  type InterceptionFlag,
  type OrderState,
  type ParcelState,
  type RefundedFlag,
  type ShopperOrderStatus,
  type SubOrderState,
} from '@mallard/contracts';

/** Where one sub-order's part of the shopper's cancel request stands, as logistics reported it. */
export type SubOrderInterception = 'REQUESTED' | 'STOPPED' | 'REFUSED';

export interface ParcelFacts {
  state: ParcelState;
  /** Packed, then its sub-order was intercepted: it will never leave the warehouse. */
  voided: boolean;
}

export interface SubOrderFacts {
  state: SubOrderState;
  /** Null or absent: this sub-order has not been asked to stop, or the gateway has not heard of it yet. */
  interception?: SubOrderInterception | null;
  /** The third-party platform purchase gave up after its retries: someone has to look at it. */
  purchaseFailed?: boolean;
  parcels: readonly ParcelFacts[];
}

/** What the gateway's read model knows of one order: plain data, so the roll-up needs nothing but itself. */
export interface OrderFacts {
  ordersState: OrderState;
  /** The shopper asked to cancel after paying (set before the sub-orders are known, when asked while PAID). */
  interceptionRequested: boolean;
  subOrders: readonly SubOrderFacts[];
  paidMinor: number;
  refundedMinor: number;
  /** After-sales cases not closed yet (openAfterSales). */
  afterSalesOpen: number;
  /** The last delivery plus the after-sales window; null until everything live is delivered. */
  completesAt: Date | null;
}

export interface ShopperStatusFlags {
  interception: InterceptionFlag;
  refunded: RefundedFlag;
  /** A live parcel needs attention (exception, failed delivery, lost), or a platform purchase failed. */
  exception: boolean;
  afterSales: boolean;
}

export interface ShopperStatus {
  status: ShopperOrderStatus;
  flags: ShopperStatusFlags;
}

/**
 * How far along an order is, for comparing two statuses. The two ends rank above all progress:
 * nothing follows them.
 */
export const SHOPPER_STATUS_RANK: Readonly<Record<ShopperOrderStatus, number>> = {
  PENDING_PAYMENT: 0,
  PAID: 1,
  PARTIALLY_SHIPPED: 2,
  SHIPPED: 3,
  PARTIALLY_DELIVERED: 4,
  DELIVERED: 5,
  COMPLETED: 6,
  CANCELLED: 7,
  CLOSED: 7,
};

const DEAD_SUB_ORDER_STATES: ReadonlySet<SubOrderState> = new Set(['CANCELLED', 'INTERCEPTED']);
/** A parcel the shopper refused or that is going back: its goods are refunded, not awaited. LOST stays live: it needs resolving. */
const GIVEN_UP_PARCEL_STATES: ReadonlySet<ParcelState> = new Set(['REJECTED', 'RETURNING', 'RETURNED_TO_SENDER']);
const ATTENTION_PARCEL_STATES: ReadonlySet<ParcelState> = new Set(['EXCEPTION', 'DELIVERY_FAILED', 'LOST']);

/** A sub-order that is still going to be fulfilled: neither cancelled nor intercepted. */
export const isLiveSubOrder = (subOrder: SubOrderFacts): boolean => !DEAD_SUB_ORDER_STATES.has(subOrder.state);

/** A parcel the shopper is still waiting for or has received (its sub-order must be live too). */
export const isLiveParcel = (parcel: ParcelFacts): boolean => !parcel.voided && !GIVEN_UP_PARCEL_STATES.has(parcel.state);

const AFTER_SALES_ENDS: ReadonlySet<AfterSalesState> = new Set(AFTER_SALES_END_STATES);

/**
 * How many of an order's after-sales requests are still open, from the state each is in: refunded,
 * exchanged, rejected and closed ones are over; every other state waits for someone (customer
 * service, the shopper, the warehouse, payments).
 */
export function openAfterSales(requests: readonly { state: AfterSalesState }[]): number {
  return requests.filter((request) => !AFTER_SALES_ENDS.has(request.state)).length;
}

/** The order reduced to what the decision table asks: counts, so the order of sub-orders and parcels cannot matter. */
interface Tally {
  ordersState: OrderState;
  subOrders: number;
  liveSubOrders: number;
  liveShipped: number;
  liveShipping: number;
  /** Parcels of live sub-orders, live or not, voided ones aside. */
  parcels: number;
  liveParcels: number;
  liveDelivered: number;
  completesAt: Date | null;
  afterSalesOpen: number;
}

function tally(order: OrderFacts): Tally {
  const live = order.subOrders.filter(isLiveSubOrder);
  const parcels = live.flatMap((subOrder) => subOrder.parcels).filter((parcel) => !parcel.voided);
  const liveParcels = parcels.filter(isLiveParcel);
  return {
    ordersState: order.ordersState,
    subOrders: order.subOrders.length,
    liveSubOrders: live.length,
    liveShipped: live.filter((subOrder) => subOrder.state === 'SHIPPED').length,
    liveShipping: live.filter((subOrder) => subOrder.state === 'SHIPPED' || subOrder.state === 'PARTIALLY_SHIPPED').length,
    parcels: parcels.length,
    liveParcels: liveParcels.length,
    liveDelivered: liveParcels.filter((parcel) => parcel.state === 'DELIVERED').length,
    completesAt: order.completesAt,
    afterSalesOpen: order.afterSalesOpen,
  };
}

const split = (t: Tally): boolean => t.ordersState === 'SPLIT';
const allLiveShipped = (t: Tally): boolean => split(t) && t.liveSubOrders > 0 && t.liveShipped === t.liveSubOrders;
const allLiveDelivered = (t: Tally): boolean => allLiveShipped(t) && t.liveParcels > 0 && t.liveDelivered === t.liveParcels;

/** The decision table of docs/logistics.md, row for row; the first row whose condition holds gives the status. */
const SHOPPER_STATUS_TABLE: readonly { status: ShopperOrderStatus; when: (t: Tally, now: Date) => boolean }[] = [
  { status: 'PENDING_PAYMENT', when: (t) => t.ordersState === 'PLACED' || t.ordersState === 'AWAITING_PAYMENT' },
  // Orders cancels only unpaid orders, and an unpaid order that ends is closed (docs/domain.md §7), whatever the reason.
  { status: 'CLOSED', when: (t) => t.ordersState === 'CANCELLED' },
  { status: 'CLOSED', when: (t) => t.ordersState === 'FAILED' },
  { status: 'PAID', when: (t) => t.ordersState === 'PAID' },
  // Every sub-order stopped by an interception: the paid order was cancelled.
  { status: 'CANCELLED', when: (t) => split(t) && t.subOrders > 0 && t.liveSubOrders === 0 },
  // Everything shipped, and every parcel was refused or sent back: nothing is coming.
  { status: 'CLOSED', when: (t) => allLiveShipped(t) && t.parcels > 0 && t.liveParcels === 0 },
  {
    status: 'COMPLETED',
    when: (t, now) => allLiveDelivered(t) && t.completesAt !== null && now.getTime() >= t.completesAt.getTime() && t.afterSalesOpen === 0,
  },
  { status: 'DELIVERED', when: allLiveDelivered },
  { status: 'PARTIALLY_DELIVERED', when: (t) => split(t) && t.liveDelivered > 0 },
  { status: 'SHIPPED', when: allLiveShipped },
  { status: 'PARTIALLY_SHIPPED', when: (t) => split(t) && t.liveShipping > 0 },
  // Split, nothing handed over yet (or the sub-orders not heard of yet).
  { status: 'PAID', when: split },
];

/**
 * The one status a shopper sees of an order, with its flags, from the states of its sub-orders and
 * parcels. An order is several shipments, and each moves on its own; the shopper's status says how far
 * the WHOLE order has got, so one parcel arriving never makes the order look delivered, and one
 * sub-order leaving never makes it look shipped.
 *
 * The table (first match wins; "live" excludes intercepted or cancelled sub-orders, and voided,
 * refused or returning parcels; LOST stays live):
 *  1. placed or awaiting payment → PENDING_PAYMENT
 *  2–3. cancelled (always before payment) or failed → CLOSED
 *  4. paid, not split → PAID
 *  5. split, no sub-order live → CANCELLED
 *  6. every live sub-order shipped, it had parcels, none live → CLOSED
 *  7. every live sub-order shipped, every live parcel delivered, completion time passed, no after-sales open → COMPLETED
 *  8. the same without the last two → DELIVERED
 *  9. any live parcel delivered → PARTIALLY_DELIVERED
 *  10. every live sub-order shipped → SHIPPED
 *  11. any live sub-order shipped or partly shipped → PARTIALLY_SHIPPED
 *  12. otherwise → PAID
 * "Every live parcel delivered" needs at least one live parcel, so a shipped sub-order whose parcels
 * the gateway has not heard of yet reads SHIPPED, not DELIVERED.
 */
export function rollUpOrderStatus(order: OrderFacts, now: Date): ShopperStatus {
  const facts = tally(order);
  const row = SHOPPER_STATUS_TABLE.find((candidate) => candidate.when(facts, now));
  if (!row) throw new Error(`No row of the shopper status table matches an order in state ${order.ordersState}`);
  return {
    status: row.status,
    flags: {
      interception: interceptionFlag(order),
      refunded: refundedFlag(order.paidMinor, order.refundedMinor),
      exception: needsAttention(order),
      afterSales: order.afterSalesOpen > 0,
    },
  };
}

type InterceptionOutcome = 'PENDING' | 'STOPPED' | 'REFUSED';

/**
 * A sub-order's own state settles it first: events of logistics and of orders arrive in any order, and
 * an intercepted sub-order has stopped whatever the request's record says.
 */
function interceptionOutcome(subOrder: SubOrderFacts, orderAsked: boolean): InterceptionOutcome | null {
  if (DEAD_SUB_ORDER_STATES.has(subOrder.state) || subOrder.interception === 'STOPPED') return 'STOPPED';
  if (subOrder.state === 'INTERCEPTING' || subOrder.interception === 'REQUESTED') return 'PENDING';
  if (subOrder.interception === 'REFUSED') return 'REFUSED';
  // The request reaches every sub-order; until one answers it is still on its way.
  return orderAsked ? 'PENDING' : null;
}

function interceptionFlag(order: OrderFacts): InterceptionFlag {
  const asked = order.interceptionRequested || order.subOrders.some((subOrder) => subOrder.interception);
  if (!asked) return 'NONE';
  const outcomes = order.subOrders.map((subOrder) => interceptionOutcome(subOrder, order.interceptionRequested)).filter((o) => o !== null);
  if (outcomes.length === 0 || outcomes.includes('PENDING')) return 'IN_PROGRESS';
  if (outcomes.every((outcome) => outcome === 'STOPPED')) return 'STOPPED';
  if (!outcomes.includes('STOPPED')) return 'REFUSED';
  return 'PARTIAL';
}

function refundedFlag(paidMinor: number, refundedMinor: number): RefundedFlag {
  if (refundedMinor <= 0) return 'NONE';
  return paidMinor > 0 && refundedMinor >= paidMinor ? 'FULL' : 'PARTIAL';
}

function needsAttention(order: OrderFacts): boolean {
  return order.subOrders
    .filter(isLiveSubOrder)
    .some(
      (subOrder) =>
        subOrder.purchaseFailed === true || subOrder.parcels.some((p) => isLiveParcel(p) && ATTENTION_PARCEL_STATES.has(p.state)),
    );
}
