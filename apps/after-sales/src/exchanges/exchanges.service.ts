import {
  exchangeRequested,
  newId,
  type ParcelStateChangedV1,
  type ReplacementStockUnavailableV1,
  type RestockReason,
  replacementRestockRequested,
  type SubOrderStateChangedV1,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RefundsService } from '../refunds/refunds.service.js';
import { AfterSalesRequest } from '../requests/after-sales-request.entity.js';
import { type RequestActor, RequestsService, SYSTEM_ACTOR } from '../requests/requests.service.js';

/**
 * An exchange once its goods came back (docs/domain.md §8): inventory deducts the replacement from
 * one warehouse of the merchant, logistics ships it as a sub-order of the order, and the request is
 * EXCHANGED when that sub-order ships. When no warehouse has it all, the exchange is refunded instead.
 * A replacement that comes back without reaching the shopper (stopped before it left, a parcel
 * returned to sender) is restocked at its warehouse: orders never knew it, so after-sales asks.
 */
@Injectable()
export class ExchangesService {
  private readonly logger = new Logger(ExchangesService.name);

  constructor(
    private readonly requests: RequestsService,
    private readonly refunds: RefundsService,
    private readonly publisher: EventPublisher,
  ) {}

  /** Asks for the replacement of an exchange the caller locked (with its order). */
  async ask(manager: EntityManager, request: AfterSalesRequest, actor: RequestActor, note: string | null): Promise<void> {
    const replacementSubOrderId = newId();
    await this.requests.move(manager, request, 'EXCHANGING', actor, 'ship a replacement', { set: { replacementSubOrderId }, note });
    await this.publisher.publish(manager, exchangeRequested, {
      subject: request.orderId,
      data: {
        orderId: request.orderId,
        requestId: request.id,
        replacementSubOrderId,
        buyerId: request.buyerId,
        merchantId: request.merchantId,
        lines: request.lines.map((line) => ({ lineId: line.lineId, skuId: line.replacementSkuId ?? line.skuId, quantity: line.quantity })),
        requestedAt: new Date().toISOString(),
      },
    });
    await this.requests.publish(manager, request, 'inspected', actor, note, 'RETURN_RECEIVED');
  }

  async unavailable(manager: EntityManager, event: ReplacementStockUnavailableV1): Promise<void> {
    const request = await this.waiting(manager, event.replacementSubOrderId);
    if (!request) return;
    await this.refunds.issue(manager, request, SYSTEM_ACTOR, 'exchangeFailed', { note: `no warehouse has ${event.skuIds.join(', ')}` });
  }

  /**
   * The replacement sub-order shipped: the exchange is done. Stopped instead (a platform purchase
   * dropped, a warehouse that intercepted it): the exchange is refunded.
   */
  async subOrderChanged(manager: EntityManager, change: SubOrderStateChangedV1): Promise<void> {
    // Any state of a replacement names its warehouse; the first one logistics publishes keeps it.
    await manager.query(
      'UPDATE after_sales_request SET replacement_warehouse_id = $2 WHERE replacement_sub_order_id = $1 AND replacement_warehouse_id IS NULL',
      [change.subOrderId, change.warehouseId],
    );
    if (change.to !== 'SHIPPED' && change.to !== 'INTERCEPTED' && change.to !== 'CANCELLED') return;
    if (change.to !== 'SHIPPED') {
      // Nothing of it left the warehouse: the whole replacement goes back on the shelf, whatever
      // became of the request meanwhile (customer service may have closed it first).
      const replaced = await manager.findOne(AfterSalesRequest, { where: { replacementSubOrderId: change.subOrderId } });
      if (!replaced) return;
      const lines = this.replacementLines(replaced);
      await this.restock(manager, replaced, change.warehouseId, 'SUB_ORDER_STOPPED', `replacement:${change.subOrderId}`, lines);
    }
    const request = await this.waiting(manager, change.subOrderId);
    if (!request) return;
    if (change.to !== 'SHIPPED') {
      await this.refunds.issue(manager, request, SYSTEM_ACTOR, 'exchangeFailed', { note: `replacement sub-order ${change.to}` });
      return;
    }
    await this.requests.move(manager, request, 'EXCHANGED', SYSTEM_ACTOR, 'be exchanged', {
      note: `replacement sub-order ${change.subOrderId} shipped`,
    });
    await this.requests.publish(manager, request, 'exchanged', SYSTEM_ACTOR, null, 'EXCHANGING');
  }

  /** A parcel of a replacement returned to sender: its units go back to the replacement's warehouse. */
  async parcelChanged(manager: EntityManager, change: ParcelStateChangedV1): Promise<void> {
    if (change.to !== 'RETURNED_TO_SENDER') return;
    const request = await manager.findOne(AfterSalesRequest, { where: { replacementSubOrderId: change.subOrderId } });
    if (!request) return;
    if (!request.replacementWarehouseId) {
      // Only for replacements that shipped before after-sales kept their warehouse: the parcel is
      // still kept with its order; staff restock its units by hand.
      this.logger.error(
        `replacement sub-order ${change.subOrderId} (request ${request.id}) returned parcel ${change.parcelId}, but its warehouse is unknown: restock it by hand`,
      );
      return;
    }
    await this.restock(
      manager,
      request,
      request.replacementWarehouseId,
      'PARCEL_RETURNED',
      `replacement:${change.parcelId}`,
      change.lines.map(({ skuId, quantity }) => ({ skuId, quantity })),
    );
  }

  private replacementLines(request: AfterSalesRequest): { skuId: string; quantity: number }[] {
    return request.lines.map((line) => ({ skuId: line.replacementSkuId ?? line.skuId, quantity: line.quantity }));
  }

  private async restock(
    manager: EntityManager,
    request: AfterSalesRequest,
    warehouseId: string,
    reason: RestockReason,
    restockId: string,
    lines: { skuId: string; quantity: number }[],
  ): Promise<void> {
    this.logger.log(`replacement of request ${request.id} back at ${warehouseId} (${reason}): restock ${restockId}`);
    await this.publisher.publish(manager, replacementRestockRequested, {
      subject: request.orderId,
      data: { orderId: request.orderId, restockId, warehouseId, reason, lines },
    });
  }

  /** The exchange waiting for this replacement sub-order, locked; null for any other sub-order. */
  private async waiting(manager: EntityManager, replacementSubOrderId: string): Promise<AfterSalesRequest | null> {
    const found = await manager.findOne(AfterSalesRequest, { where: { replacementSubOrderId } });
    if (!found) return null;
    const request = await this.requests.lock(manager, found.id);
    return request.state === 'EXCHANGING' ? request : null;
  }
}
