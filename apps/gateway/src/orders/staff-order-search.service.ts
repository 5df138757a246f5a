import type {
  OrderPageResponse,
  OrderResponse,
  StaffOrderPageResponse,
  StaffOrderSummaryResponse,
  TrackedParcel,
} from '@mallard/contracts';
import { BUYER_HEADER } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { ReadModelQueries } from '../read-model/read-model.queries.js';
import { forwardedProblem } from '../upstream/upstream.problems.js';
import { Upstreams } from '../upstream/upstreams.js';

/**
 * Customer service's order search, each key asked of the service that owns it: a buyer's orders
 * of orders (the list "My orders" pages, named for that buyer), a tracking number's parcels of
 * logistics, then their orders of orders. The shopper's status comes from the read model, as on
 * every order answer.
 */
@Injectable()
export class StaffOrderSearch {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly statuses: ReadModelQueries,
  ) {}

  async byBuyer(buyerId: string, page: number, pageSize: number): Promise<StaffOrderPageResponse> {
    const answer = await this.upstreams.call<OrderPageResponse>('orders', {
      path: `/internal/orders?page=${page}&pageSize=${pageSize}`,
      headers: { [BUYER_HEADER]: buyerId },
    });
    if (answer.status !== 200) throw forwardedProblem('orders', answer);
    const items = await this.statuses.withStatus(answer.body.items);
    return { items: items.map((item) => ({ ...item, buyerId })), page, pageSize, total: answer.body.total };
  }

  /** The orders whose parcels carry the number, the newest parcel's first, each order once. */
  async byTrackingNumber(trackingNumber: string, page: number, pageSize: number): Promise<StaffOrderPageResponse> {
    const parcels = await this.upstreams.call<TrackedParcel[]>('logistics', {
      path: `/internal/parcels?${new URLSearchParams({ trackingNumber })}`,
    });
    if (parcels.status !== 200) throw forwardedProblem('logistics', parcels);
    const orderIds = [...new Set(parcels.body.map((parcel) => parcel.orderId))];
    const onPage = orderIds.slice((page - 1) * pageSize, page * pageSize);
    const orders = await Promise.all(onPage.map((orderId) => this.order(orderId)));
    const items = await this.statuses.withStatus(orders.filter((order) => order !== null));
    return { items, page, pageSize, total: orderIds.length };
  }

  /** Null for an order orders does not know: one such parcel must not fail the whole search. */
  private async order(orderId: string): Promise<Omit<StaffOrderSummaryResponse, 'status' | 'flags'> | null> {
    const answer = await this.upstreams.call<OrderResponse>('orders', { path: `/internal/orders/${orderId}` });
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw forwardedProblem('orders', answer);
    const order = answer.body;
    return {
      id: order.id,
      buyerId: order.buyerId,
      state: order.state,
      stateReason: order.stateReason,
      currency: order.currency,
      payable: order.amounts.payable,
      itemCount: order.lines.reduce((units, line) => units + line.quantity, 0),
      placedAt: order.placedAt,
    };
  }
}
