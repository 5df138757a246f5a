import { type ExchangeRequestedV1, replacementStockDeducted, replacementStockUnavailable } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { Warehouse } from '../catalog/warehouse.entity.js';
import { HoldsService } from '../holds/holds.service.js';
import { StockLedger } from '../stock/stock-ledger.js';
import { Replacement } from './replacement.entity.js';
import { planReplacement } from './replacement-plan.js';

/** The reason on the ledger rows of a replacement. */
export const EXCHANGE_DEDUCTION_REASON = 'EXCHANGE';

/** The idempotency key of a replacement's DEDUCTION of one SKU: one per request and SKU, whatever event asks. */
export const exchangeDeductionKey = (requestId: string, skuId: string): string => `exchange:${requestId}:${skuId}`;

/**
 * The replacement of an after-sales exchange (docs/domain.md §8): deducted from one warehouse of
 * the merchant (replacement-plan.ts), or not at all, and answered to after-sales and logistics in
 * the transaction of the deduction. Decided once per request: the `replacement` row answers a
 * request that comes again as a new event, and the ledger keys (exchangeDeductionKey) would refuse
 * a second deduction even without it.
 */
@Injectable()
export class ExchangeService {
  private readonly logger = new Logger('Exchange');

  constructor(
    private readonly ledger: StockLedger,
    private readonly catalog: CatalogService,
    private readonly holds: HoldsService,
    private readonly events: EventPublisher,
  ) {}

  async exchangeRequested(manager: EntityManager, exchange: ExchangeRequestedV1): Promise<void> {
    const decided = await manager.findOne(Replacement, { where: { requestId: exchange.requestId } });
    if (decided) {
      this.logger.log(`exchange ${exchange.requestId} of order ${exchange.orderId} asked again: already ${decided.outcome}`);
      return;
    }
    const skuIds = exchange.lines.map((line) => line.skuId);
    const skus = await this.catalog.skusById(manager, skuIds);
    // The levels in (sku, warehouse) order, the lock order of every stock change.
    const levels = await this.ledger.lockLevels(manager, skuIds);
    const warehouseIds = [...new Set(levels.map((level) => level.warehouseId))];
    const warehouses = new Map(
      (warehouseIds.length > 0 ? await manager.findBy(Warehouse, { id: In(warehouseIds) }) : []).map((warehouse) => [
        warehouse.id,
        warehouse,
      ]),
    );
    const shippedFrom = await this.holds.deductedFrom(
      manager,
      exchange.orderId,
      exchange.lines.map((line) => line.lineId),
    );
    const plan = planReplacement(exchange, skus, levels, warehouses, shippedFrom);
    const at = new Date();
    const { orderId, requestId, replacementSubOrderId, merchantId } = exchange;

    if (!plan.ok) {
      await manager.insert(Replacement, {
        requestId,
        orderId,
        replacementSubOrderId,
        merchantId,
        outcome: 'UNAVAILABLE',
        warehouseId: null,
        unavailableSkuIds: plan.skuIds,
      });
      await this.events.publish(manager, replacementStockUnavailable, {
        subject: orderId,
        data: { orderId, requestId, replacementSubOrderId, skuIds: plan.skuIds, failedAt: at.toISOString() },
      });
      return;
    }
    await this.ledger.record(
      manager,
      plan.deductions.map((deduction) => ({
        skuId: deduction.skuId,
        warehouseId: plan.warehouseId,
        kind: 'DEDUCTION' as const,
        quantity: deduction.quantity,
        orderId,
        reason: EXCHANGE_DEDUCTION_REASON,
        requestKey: exchangeDeductionKey(requestId, deduction.skuId),
      })),
    );
    await manager.insert(Replacement, {
      requestId,
      orderId,
      replacementSubOrderId,
      merchantId,
      outcome: 'DEDUCTED',
      warehouseId: plan.warehouseId,
      unavailableSkuIds: null,
    });
    await this.events.publish(manager, replacementStockDeducted, {
      subject: orderId,
      data: {
        orderId,
        requestId,
        replacementSubOrderId,
        warehouseId: plan.warehouseId,
        merchantId,
        fulfilmentType: warehouses.get(plan.warehouseId)!.fulfilmentType,
        lines: plan.lines,
        deductedAt: at.toISOString(),
      },
    });
  }
}
