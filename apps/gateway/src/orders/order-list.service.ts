import type { OrderPageResponse, OrderResponse, OrderSummaryResponse, ShopperOrderStatus } from '@mallard/contracts';
import { BUYER_HEADER } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { type OrderListEntry, ReadModelQueries } from '../read-model/read-model.queries.js';
import { forwardedProblem } from '../upstream/upstream.problems.js';
import { Upstreams } from '../upstream/upstreams.js';

/**
 * "My orders" in one shopper status. Only the gateway knows shopper statuses, so the page comes
 * from its read model, in the shape and order the orders service pages in (newest first, page and
 * pageSize, total over all pages). Orders has no route that answers several orders by id, so
 * the items are the read model's own copy of what a list shows; only a row that predates that
 * copy (no currency or units) is completed from orders, one order at a time.
 */
@Injectable()
export class OrderListService {
  constructor(
    private readonly readModel: ReadModelQueries,
    private readonly upstreams: Upstreams,
  ) {}

  async byStatus(buyerId: string, status: ShopperOrderStatus, page: number, pageSize: number): Promise<OrderPageResponse> {
    const { items, total } = await this.readModel.pageByStatus(buyerId, status, page, pageSize);
    return { items: await Promise.all(items.map((entry) => this.complete(buyerId, entry))), page, pageSize, total };
  }

  private async complete(buyerId: string, entry: OrderListEntry): Promise<OrderSummaryResponse> {
    if (entry.currency !== null && entry.itemCount !== null) return { ...entry, currency: entry.currency, itemCount: entry.itemCount };
    const answer = await this.upstreams.call<OrderResponse>('orders', {
      path: `/internal/orders/${entry.id}`,
      headers: { [BUYER_HEADER]: buyerId },
    });
    if (answer.status !== 200) throw forwardedProblem('orders', answer);
    const itemCount = answer.body.lines.reduce((units, line) => units + line.quantity, 0);
    return { ...entry, currency: answer.body.currency, itemCount };
  }
}
