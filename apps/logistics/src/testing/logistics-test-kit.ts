import { randomUUID } from 'node:crypto';
import type { AfterSalesRequestChangedV1, FulfilmentType, OrderSplitV2, ReplacementStockDeductedV1 } from '@mallard/contracts';
import { serviceFetch } from '@mallard/testing';
import { signAfterShipBody } from '../providers/aftership/aftership-webhook.js';
import { signKuaidi100Param } from '../providers/kuaidi100/kuaidi100-webhook.js';

export interface SplitPart {
  warehouseId: string;
  fulfilmentType?: FulfilmentType;
  merchantId?: string;
  shippingFeeMinor?: number;
  lines: { skuId: string; quantity: number; merchandiseMinor: number; shippingFeeShareMinor?: number }[];
}

/** An order.split v2 as orders publishes it, for the parts given (the first carries the fee it names). */
export function orderSplitOf(parts: SplitPart[], overrides: Partial<OrderSplitV2> = {}): OrderSplitV2 {
  return {
    orderId: randomUUID(),
    buyerId: 'buyer-1',
    currency: 'CNY',
    paidAt: new Date().toISOString(),
    receiver: { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } },
    subOrders: parts.map((part, position) => {
      const lines = part.lines.map((line) => {
        const shippingFeeShareMinor = line.shippingFeeShareMinor ?? 0;
        return {
          lineId: randomUUID(),
          skuId: line.skuId,
          skuName: `SKU ${line.skuId}`,
          quantity: line.quantity,
          merchandiseMinor: line.merchandiseMinor,
          shippingFeeShareMinor,
          paidAmountMinor: line.merchandiseMinor + shippingFeeShareMinor,
        };
      });
      return {
        subOrderId: randomUUID(),
        position,
        warehouseId: part.warehouseId,
        merchantId: part.merchantId ?? 'mall',
        fulfilmentType: part.fulfilmentType ?? 'SELF_OPERATED',
        shippingFeeMinor: part.shippingFeeMinor ?? 0,
        paidMinor: lines.reduce((sum, line) => sum + line.paidAmountMinor, 0),
        lines,
      };
    }),
    ...overrides,
  };
}

/**
 * replacement.stock-deducted as inventory publishes it for an exchange of the split's first line
 * (one unit, from that line's warehouse, unless overridden); a new request and sub-order id each time.
 */
export function replacementOf(split: OrderSplitV2, overrides: Partial<ReplacementStockDeductedV1> = {}): ReplacementStockDeductedV1 {
  const [first] = split.subOrders;
  const [line] = first.lines;
  return {
    orderId: split.orderId,
    requestId: randomUUID(),
    replacementSubOrderId: randomUUID(),
    warehouseId: first.warehouseId,
    merchantId: first.merchantId,
    fulfilmentType: first.fulfilmentType,
    lines: [{ lineId: line.lineId, skuId: line.skuId, skuName: line.skuName, quantity: 1 }],
    deductedAt: new Date().toISOString(),
    ...overrides,
  };
}

/**
 * after-sales.return-shipped as after-sales publishes it for a return of the split's first line:
 * the shopper sent one unit back with SF Express under `trackingNumber`; a new request each time.
 */
export function returnShippedOf(
  split: OrderSplitV2,
  trackingNumber: string,
  overrides: Partial<AfterSalesRequestChangedV1> = {},
): AfterSalesRequestChangedV1 {
  const [first] = split.subOrders;
  const [line] = first.lines;
  return {
    requestId: randomUUID(),
    orderId: split.orderId,
    buyerId: split.buyerId,
    merchantId: first.merchantId,
    type: 'RETURN_AND_REFUND',
    reason: 'DAMAGED',
    sellerAtFault: true,
    from: 'APPROVED',
    state: 'RETURN_SHIPPED',
    version: 3,
    lines: [{ subOrderId: first.subOrderId, lineId: line.lineId, skuId: line.skuId, quantity: 1 }],
    actor: { kind: 'SHOPPER', id: split.buyerId },
    returnParcel: { carrierCode: 'sf-express', trackingNumber, bookedBy: 'SHOPPER' },
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/** An AfterShip tracking_update for one tracking number, with one checkpoint of the given tag at the given time. */
export function afterShipUpdate(trackingNumber: string, tag: string, time: string, eventId: string = randomUUID()): object {
  const checkpoint = {
    checkpoint_time: time,
    tag,
    subtag: `${tag}_001`,
    message: `${tag} at ${time}`,
    city: 'Shenzhen',
    slug: 'sf-express',
  };
  return {
    ts: Math.floor(Date.parse(time) / 1000),
    event: 'tracking_update',
    event_id: eventId,
    is_tracking_first_tag: false,
    msg: {
      id: `as-${trackingNumber}`,
      tracking_number: trackingNumber,
      slug: 'sf-express',
      tag,
      subtag: `${tag}_001`,
      checkpoints: [checkpoint],
    },
  };
}

/** A Kuaidi100 subscription push (`param`) for one tracking number in the given state code, its newest line at `ftime` (China time). */
export function kuaidi100Push(trackingNumber: string, state: string, ftime: string, status: string): string {
  return JSON.stringify({
    status: 'polling',
    billstatus: 'got',
    message: '',
    lastResult: {
      message: 'ok',
      nu: trackingNumber,
      ischeck: state === '3' ? '1' : '0',
      com: 'shunfeng',
      status: '200',
      state,
      data: [{ time: ftime, ftime, context: `${status} ${ftime}`, status, areaName: '北京' }],
    },
  });
}

/** An EasyPost `tracker.updated` event for one UPS tracking number in the given status, its one detail at `time` (ISO 8601). */
export function easyPostTrackerUpdated(
  trackingNumber: string,
  status: string,
  time: string,
  eventId: string = `evt_${randomUUID()}`,
): object {
  const at = `${new Date(time).toISOString().slice(0, 19)}Z`;
  return {
    id: eventId,
    object: 'Event',
    mode: 'production',
    description: 'tracker.updated',
    created_at: at,
    result: {
      id: `trk_${trackingNumber}`,
      object: 'Tracker',
      mode: 'production',
      tracking_code: trackingNumber,
      carrier: 'UPS',
      status,
      status_detail: status,
      updated_at: at,
      tracking_details: [
        {
          object: 'TrackingDetail',
          message: `${status} at ${at}`,
          status,
          datetime: at,
          source: 'UPS',
          tracking_location: { object: 'TrackingLocation', city: 'Louisville', state: 'KY', country: 'US', zip: '40201' },
        },
      ],
    },
  };
}

/** How logistics answered a carrier's webhook: the status, the outcome it reports, the acknowledgement. */
export interface WebhookAnswer {
  status: number;
  outcome: string | null;
  text: string;
}

const answerOf = async (response: Response): Promise<WebhookAnswer> => ({
  status: response.status,
  outcome: response.headers.get('x-mallard-webhook-outcome'),
  text: await response.text(),
});

/** Posts an AfterShip webhook to logistics at `url` as the gateway forwards it, signed with `secret`. */
export async function postAfterShip(url: string, body: object, secret: string): Promise<WebhookAnswer> {
  const raw = JSON.stringify(body);
  return answerOf(
    await serviceFetch(`${url}/internal/webhooks/carriers/aftership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signAfterShipBody(secret, raw) },
      body: raw,
    }),
  );
}

/** Posts a Kuaidi100 push (`param`) to logistics at `url` as the gateway forwards it, signed with `salt`. */
export async function postKuaidi100(url: string, param: string, salt: string): Promise<WebhookAnswer> {
  return answerOf(
    await serviceFetch(`${url}/internal/webhooks/carriers/kuaidi100`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ param, sign: signKuaidi100Param(param, salt) }).toString(),
    }),
  );
}
