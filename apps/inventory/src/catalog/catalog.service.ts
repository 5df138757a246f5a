import { type FulfilmentType, merchantUpserted, type StockPolicy, skuUpserted } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { rowsOf } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { InventoryConfig } from '../config/inventory-config.js';
import { StockLedger, type StockTotals } from '../stock/stock-ledger.js';
import type { PatchSkuDto, PutMerchantDto, PutSkuDto, PutWarehouseDto } from './catalog.dto.js';
import { catalogProblems } from './catalog.problems.js';
import {
  type CustomerServiceContact,
  changedSkuFields,
  customerServiceOf,
  effectiveStockPolicy,
  effectiveTaxRate,
  type MerchantDefaults,
  merchantDefaultTaxRate,
  merchantUpsertedPayload,
  type SkuFacts,
  sameCustomerService,
  skuUpsertedPayload,
  stockingRefusal,
} from './catalog.rules.js';
import { Merchant } from './merchant.entity.js';
import { Sku } from './sku.entity.js';
import { Warehouse } from './warehouse.entity.js';

export interface MerchantView {
  id: string;
  name: string;
  defaultStockPolicy: StockPolicy;
  customerService: CustomerServiceContact | null;
  defaultTaxRateBasisPoints: number | null;
  effectiveDefaultTaxRateBasisPoints: number;
  createdAt: string;
  updatedAt: string;
}

export interface WarehouseView {
  id: string;
  name: string;
  merchantId: string | null;
  fulfilmentType: FulfilmentType;
  createdAt: string;
  updatedAt: string;
}

export interface SkuView extends SkuFacts {
  effectiveStockPolicy: StockPolicy;
  effectiveTaxRateBasisPoints: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface SkuWithStockView extends SkuView {
  stock: StockTotals;
}

/** The facts of a SKU that holding and deducting its stock depend on. */
export interface SkuStockFacts {
  onShelf: boolean;
  scarce: boolean;
}

export interface Written<T> {
  created: boolean;
  view: T;
}

const merchantView = (m: Merchant, taxRateSetting: number): MerchantView => ({
  id: m.id,
  name: m.name,
  defaultStockPolicy: m.defaultStockPolicy,
  customerService: m.customerService,
  defaultTaxRateBasisPoints: m.defaultTaxRateBasisPoints,
  effectiveDefaultTaxRateBasisPoints: merchantDefaultTaxRate(m, taxRateSetting),
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

const warehouseView = (w: Warehouse): WarehouseView => ({
  id: w.id,
  name: w.name,
  merchantId: w.merchantId,
  fulfilmentType: w.fulfilmentType,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

const skuFacts = (s: Sku): SkuFacts => ({
  id: s.id,
  merchantId: s.merchantId,
  name: s.name,
  priceMinor: s.priceMinor,
  currency: s.currency,
  onShelf: s.onShelf,
  fulfilmentType: s.fulfilmentType,
  stockPolicy: s.stockPolicy,
  scarce: s.scarce,
  purchaseLimit: s.purchaseLimit,
  taxRateBasisPoints: s.taxRateBasisPoints,
});

const skuView = (s: Sku, defaults: MerchantDefaults): SkuView => ({
  ...skuFacts(s),
  effectiveStockPolicy: effectiveStockPolicy(s, defaults.stockPolicy),
  effectiveTaxRateBasisPoints: effectiveTaxRate(s, defaults.taxRateBasisPoints),
  revision: s.revision,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

/**
 * Merchants, warehouses and SKUs. Every change of a SKU's sellable facts (its own or, through
 * the merchant's default stock policy or tax rate, its effective policy or rate) publishes sku.upserted with the
 * next revision in the same transaction; every created or changed merchant publishes
 * merchant.upserted (name, customer-service contact). A write that changes nothing publishes nothing.
 *
 * Lock order, the same everywhere: merchant, then SKU rows, then stock levels.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly ledger: StockLedger,
    private readonly config: InventoryConfig,
  ) {}

  private defaultsOf(merchant: Merchant): MerchantDefaults {
    return {
      stockPolicy: merchant.defaultStockPolicy,
      taxRateBasisPoints: merchantDefaultTaxRate(merchant, this.config.DEFAULT_TAX_RATE_BASIS_POINTS),
    };
  }

  private merchantView(merchant: Merchant): MerchantView {
    return merchantView(merchant, this.config.DEFAULT_TAX_RATE_BASIS_POINTS);
  }

  putMerchant(id: string, dto: PutMerchantDto): Promise<Written<MerchantView>> {
    const customerService = customerServiceOf(dto.customerService);
    const defaultTaxRate = dto.defaultTaxRateBasisPoints ?? null;
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Merchant);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO merchant (id, name, default_stock_policy, customer_service, default_tax_rate_basis_points)
         VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, dto.name, dto.defaultStockPolicy, customerService === null ? null : JSON.stringify(customerService), defaultTaxRate],
      );
      if (inserted.length > 0) {
        const created = await repository.findOneByOrFail({ id });
        await this.events.publish(manager, merchantUpserted, { subject: id, data: merchantUpsertedPayload(created) });
        return { created: true, view: this.merchantView(created) };
      }

      const merchant = await repository.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const before = this.defaultsOf(merchant);
      const merchantChanged =
        merchant.name !== dto.name ||
        !sameCustomerService(merchant.customerService, customerService) ||
        merchant.defaultStockPolicy !== dto.defaultStockPolicy ||
        merchant.defaultTaxRateBasisPoints !== defaultTaxRate;
      if (!merchantChanged) return { created: false, view: this.merchantView(merchant) };
      merchant.name = dto.name;
      merchant.defaultStockPolicy = dto.defaultStockPolicy;
      merchant.customerService = customerService;
      merchant.defaultTaxRateBasisPoints = defaultTaxRate;
      // save() reads the new updated_at back: merchant.upserted's changedAt is the row's.
      await repository.save(merchant);
      await this.events.publish(manager, merchantUpserted, { subject: id, data: merchantUpsertedPayload(merchant) });
      await this.republishFollowers(manager, merchant, before);
      return { created: false, view: this.merchantView(merchant) };
    });
  }

  /**
   * SKUs that follow a default that is no longer in force (the merchant's stock policy, or its
   * tax rate as resolved: setting the setting's own value changes nothing) have another effective
   * policy or rate: bump each one's revision and tell orders, in two statements whatever their number.
   * Their rows are locked in id order, after the merchant's (the lock order).
   */
  private async republishFollowers(manager: EntityManager, merchant: Merchant, before: MerchantDefaults): Promise<void> {
    const after = this.defaultsOf(merchant);
    const policyChanged = before.stockPolicy !== after.stockPolicy;
    const rateChanged = before.taxRateBasisPoints !== after.taxRateBasisPoints;
    if (!policyChanged && !rateChanged) return;
    const bumped = rowsOf<{ id: string }>(
      await manager.query(
        `UPDATE sku SET revision = revision + 1, updated_at = now()
          WHERE id IN (SELECT id FROM sku
                        WHERE merchant_id = $1 AND ((stock_policy IS NULL AND $2) OR (tax_rate_basis_points IS NULL AND $3))
                        ORDER BY id FOR UPDATE)
          RETURNING id`,
        [merchant.id, policyChanged, rateChanged],
      ),
    );
    if (bumped.length === 0) return;
    const skus = await manager.getRepository(Sku).find({ where: { id: In(bumped.map((row) => row.id)) }, order: { id: 'ASC' } });
    await this.events.publish(manager, skuUpserted, ...skus.map((sku) => ({ subject: sku.id, data: skuUpsertedPayload(sku, after) })));
  }

  async getMerchant(id: string): Promise<MerchantView> {
    const merchant = await this.dataSource.getRepository(Merchant).findOneBy({ id });
    if (!merchant) throw catalogProblems.merchantNotFound(id);
    return this.merchantView(merchant);
  }

  putWarehouse(id: string, dto: PutWarehouseDto): Promise<Written<WarehouseView>> {
    const merchantId = dto.merchantId ?? null;
    return this.dataSource.transaction(async (manager) => {
      if (merchantId !== null) await this.lockMerchant(manager, merchantId, 'share');
      if (dto.fulfilmentType === 'DROP_SHIP' && merchantId === null) {
        throw catalogProblems.warehouseNeedsMerchant(id);
      }
      const repository = manager.getRepository(Warehouse);
      const inserted: unknown[] = await manager.query(
        'INSERT INTO warehouse (id, name, merchant_id, fulfilment_type) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id',
        [id, dto.name, merchantId, dto.fulfilmentType],
      );
      if (inserted.length > 0) return { created: true, view: warehouseView(await repository.findOneByOrFail({ id })) };

      const warehouse = await repository.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (warehouse.name === dto.name && warehouse.merchantId === merchantId && warehouse.fulfilmentType === dto.fulfilmentType) {
        return { created: false, view: warehouseView(warehouse) };
      }
      const next = { id, merchantId, fulfilmentType: dto.fulfilmentType };
      const stocked: { id: string; merchant_id: string; fulfilment_type: FulfilmentType }[] = await manager.query(
        `SELECT s.id, s.merchant_id, s.fulfilment_type FROM stock_level l JOIN sku s ON s.id = l.sku_id
          WHERE l.warehouse_id = $1 AND (l.on_hand > 0 OR l.held > 0) ORDER BY s.id`,
        [id],
      );
      const conflicts = stocked
        .map((row) => stockingRefusal({ id: row.id, merchantId: row.merchant_id, fulfilmentType: row.fulfilment_type }, next))
        .filter((reason): reason is string => reason !== null);
      if (conflicts.length > 0) {
        throw catalogProblems.warehouseStockIncompatible(id, conflicts);
      }
      warehouse.name = dto.name;
      warehouse.merchantId = merchantId;
      warehouse.fulfilmentType = dto.fulfilmentType;
      await repository.save(warehouse);
      return { created: false, view: warehouseView(warehouse) };
    });
  }

  async getWarehouse(id: string): Promise<WarehouseView> {
    const warehouse = await this.dataSource.getRepository(Warehouse).findOneBy({ id });
    if (!warehouse) throw catalogProblems.warehouseNotFound(id);
    return warehouseView(warehouse);
  }

  putSku(id: string, dto: PutSkuDto): Promise<Written<SkuView>> {
    const wanted: SkuFacts = {
      id,
      merchantId: dto.merchantId,
      name: dto.name,
      priceMinor: dto.priceMinor,
      currency: dto.currency,
      onShelf: dto.onShelf,
      fulfilmentType: dto.fulfilmentType,
      stockPolicy: dto.stockPolicy ?? null,
      scarce: dto.scarce ?? false,
      purchaseLimit: dto.purchaseLimit ?? null,
      taxRateBasisPoints: dto.taxRateBasisPoints ?? null,
    };
    return this.dataSource.transaction(async (manager) => {
      const merchant = await this.lockMerchant(manager, dto.merchantId, 'share');
      const inserted: unknown[] = await manager.query(
        `INSERT INTO sku (id, merchant_id, name, price_minor, currency, on_shelf, fulfilment_type, stock_policy, scarce, purchase_limit,
                          tax_rate_basis_points, revision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          id,
          wanted.merchantId,
          wanted.name,
          wanted.priceMinor,
          wanted.currency,
          wanted.onShelf,
          wanted.fulfilmentType,
          wanted.stockPolicy,
          wanted.scarce,
          wanted.purchaseLimit,
          wanted.taxRateBasisPoints,
        ],
      );
      if (inserted.length > 0) {
        const sku = await manager.getRepository(Sku).findOneByOrFail({ id });
        const defaults = this.defaultsOf(merchant);
        await this.events.publish(manager, skuUpserted, { subject: id, data: skuUpsertedPayload(sku, defaults) });
        return { created: true, view: skuView(sku, defaults) };
      }
      const sku = await manager.getRepository(Sku).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (sku.merchantId !== wanted.merchantId) {
        throw catalogProblems.skuMerchantImmutable(id, sku.merchantId, wanted.merchantId);
      }
      return { created: false, view: await this.change(manager, sku, wanted, merchant) };
    });
  }

  async patchSku(id: string, dto: PatchSkuDto): Promise<SkuView> {
    const current = await this.dataSource.getRepository(Sku).findOneBy({ id });
    if (!current) throw catalogProblems.skuNotFound(id);
    return this.dataSource.transaction(async (manager) => {
      const merchant = await this.lockMerchant(manager, current.merchantId, 'share');
      const sku = await manager.getRepository(Sku).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const facts = skuFacts(sku);
      const wanted: SkuFacts = {
        ...facts,
        name: dto.name ?? facts.name,
        priceMinor: dto.priceMinor ?? facts.priceMinor,
        currency: dto.currency ?? facts.currency,
        onShelf: dto.onShelf ?? facts.onShelf,
        fulfilmentType: dto.fulfilmentType ?? facts.fulfilmentType,
        stockPolicy: dto.stockPolicy === undefined ? facts.stockPolicy : dto.stockPolicy,
        scarce: dto.scarce ?? facts.scarce,
        purchaseLimit: dto.purchaseLimit === undefined ? facts.purchaseLimit : dto.purchaseLimit,
        taxRateBasisPoints: dto.taxRateBasisPoints === undefined ? facts.taxRateBasisPoints : dto.taxRateBasisPoints,
      };
      return this.change(manager, sku, wanted, merchant);
    });
  }

  async getSku(id: string): Promise<SkuView> {
    const sku = await this.dataSource.getRepository(Sku).findOneBy({ id });
    if (!sku) throw catalogProblems.skuNotFound(id);
    const merchant = await this.dataSource.getRepository(Merchant).findOneByOrFail({ id: sku.merchantId });
    return skuView(sku, this.defaultsOf(merchant));
  }

  /** The SKUs asked for, in the order asked, with their stock totals; unknown ids are listed apart. */
  async getSkus(ids: readonly string[]): Promise<{ items: SkuWithStockView[]; missing: string[] }> {
    const unique = [...new Set(ids)];
    const manager = this.dataSource.manager;
    const skus = await manager.getRepository(Sku).findBy({ id: In(unique) });
    const merchants = await manager.getRepository(Merchant).findBy({ id: In([...new Set(skus.map((s) => s.merchantId))]) });
    const defaults = new Map(merchants.map((m) => [m.id, this.defaultsOf(m)]));
    const totals = await this.ledger.totalsOf(
      manager,
      skus.map((s) => s.id),
    );
    const byId = new Map(skus.map((s) => [s.id, s]));
    const items: SkuWithStockView[] = [];
    const missing: string[] = [];
    for (const id of unique) {
      const sku = byId.get(id);
      if (!sku) missing.push(id);
      else items.push({ ...skuView(sku, defaults.get(sku.merchantId)!), stock: totals.get(id) ?? { onHand: 0, held: 0, available: 0 } });
    }
    return { items, missing };
  }

  /**
   * What the order handlers plan with, by SKU id; unknown ids are simply absent. Plain SQL of the
   * two columns they read: it runs for every order event.
   */
  async stockFactsById(manager: EntityManager, ids: readonly string[]): Promise<Map<string, SkuStockFacts>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; on_shelf: boolean; scarce: boolean }[] = await manager.query(
      'SELECT id, on_shelf, scarce FROM sku WHERE id = ANY($1::text[])',
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, { onShelf: row.on_shelf, scarce: row.scarce }]));
  }

  /** Finds SKUs by id (for the exchange handler); unknown ids are simply absent. */
  async skusById(manager: EntityManager, ids: readonly string[]): Promise<Map<string, Sku>> {
    if (ids.length === 0) return new Map();
    const skus = await manager.getRepository(Sku).findBy({ id: In([...new Set(ids)]) });
    return new Map(skus.map((sku) => [sku.id, sku]));
  }

  private async change(manager: EntityManager, sku: Sku, wanted: SkuFacts, merchant: Merchant): Promise<SkuView> {
    const defaults = this.defaultsOf(merchant);
    const changed = changedSkuFields(skuFacts(sku), wanted);
    if (changed.length === 0) return skuView(sku, defaults);
    if (changed.includes('fulfilmentType')) {
      const stockedIn: { id: string; merchant_id: string | null; fulfilment_type: FulfilmentType }[] = await manager.query(
        `SELECT w.id, w.merchant_id, w.fulfilment_type FROM stock_level l JOIN warehouse w ON w.id = l.warehouse_id
          WHERE l.sku_id = $1 AND (l.on_hand > 0 OR l.held > 0) ORDER BY w.id`,
        [sku.id],
      );
      const conflicts = stockedIn
        .map((w) => stockingRefusal(wanted, { id: w.id, merchantId: w.merchant_id, fulfilmentType: w.fulfilment_type }))
        .filter((reason): reason is string => reason !== null);
      if (conflicts.length > 0) {
        throw catalogProblems.skuStockIncompatible(sku.id, conflicts);
      }
    }
    Object.assign(sku, wanted);
    sku.revision += 1;
    const saved = await manager.getRepository(Sku).save(sku);
    await this.events.publish(manager, skuUpserted, { subject: sku.id, data: skuUpsertedPayload(saved, defaults) });
    return skuView(saved, defaults);
  }

  private async lockMerchant(manager: EntityManager, id: string, mode: 'share' | 'update'): Promise<Merchant> {
    const merchant = await manager.getRepository(Merchant).findOne({
      where: { id },
      lock: { mode: mode === 'share' ? 'pessimistic_read' : 'pessimistic_write' },
    });
    if (!merchant) throw catalogProblems.unknownMerchant(id);
    return merchant;
  }
}
