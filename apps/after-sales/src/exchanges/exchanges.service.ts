import { randomUUID } from 'node:crypto';
import { exchangeRequested, type ReplacementStockUnavailableV1, type SubOrderStateChangedV1 } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RefundsService } from '../refunds/refunds.service.js';
import { AfterSalesRequest } from '../requests/after-sales-request.entity.js';
import { type RequestActor, RequestsService, SYSTEM_ACTOR } from '../requests/requests.service.js';

/**
 * An exchange once its goods came back (docs/domain.md §8): inventory deducts the replacement from
 * one warehouse of the merchant, logistics ships it as a sub-order of the order, and the request is
 * EXCHANGED when that sub-order ships. When no warehouse has it all, the exchange is refunded instead.
 */
@Injectable()
export class ExchangesService {
  constructor(
    private readonly requests: RequestsService,
    private readonly refunds: RefundsService,
    private readonly publisher: EventPublisher,
  ) {}

  /** Asks for the replacement of an exchange the caller locked (with its order). */
  async ask(manager: EntityManager, request: AfterSalesRequest, actor: RequestActor, note: string | null): Promise<void> {
    const replacementSubOrderId = randomUUID();
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
    if (change.to !== 'SHIPPED' && change.to !== 'INTERCEPTED' && change.to !== 'CANCELLED') return;
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

  /** The exchange waiting for this replacement sub-order, locked; null for any other sub-order. */
  private async waiting(manager: EntityManager, replacementSubOrderId: string): Promise<AfterSalesRequest | null> {
    const found = await manager.findOne(AfterSalesRequest, { where: { replacementSubOrderId } });
    if (!found) return null;
    const request = await this.requests.lock(manager, found.id);
    return request.state === 'EXCHANGING' ? request : null;
  }
}
