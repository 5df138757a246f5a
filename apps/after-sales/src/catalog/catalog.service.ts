import type { SkuUpsertedV1 } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { Sku } from './sku.entity.js';

/** The catalog's SKUs, kept for judging exchanges. */
@Injectable()
export class CatalogService {
  async upserted(manager: EntityManager, sku: SkuUpsertedV1): Promise<void> {
    await manager.query(
      `INSERT INTO sku (id, merchant_id, name, price, currency, on_shelf, revision) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, name = EXCLUDED.name, price = EXCLUDED.price,
         currency = EXCLUDED.currency, on_shelf = EXCLUDED.on_shelf, revision = EXCLUDED.revision
       WHERE sku.revision < EXCLUDED.revision`,
      [sku.skuId, sku.merchantId, sku.name, sku.priceMinor, sku.currency, sku.onShelf, sku.revision],
    );
  }

  async skus(manager: EntityManager, ids: readonly string[]): Promise<Map<string, Sku>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.find(Sku, { where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
