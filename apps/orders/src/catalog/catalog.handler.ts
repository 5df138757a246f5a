import { SkuUpsertedV1, skuUpserted } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';

@Controller()
export class CatalogHandler {
  /** Keeps the newest revision only: a late or repeated copy of an older one changes nothing. */
  @OnEvent(skuUpserted)
  async onSkuUpserted(@Payload() sku: SkuUpsertedV1, @Ctx() context: EventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO catalog_sku (id, merchant_id, name, price_minor, currency, on_shelf, fulfilment_type, stock_policy, scarce, purchase_limit, tax_rate_bp, revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET
         merchant_id = EXCLUDED.merchant_id, name = EXCLUDED.name, price_minor = EXCLUDED.price_minor,
         currency = EXCLUDED.currency, on_shelf = EXCLUDED.on_shelf, fulfilment_type = EXCLUDED.fulfilment_type,
         stock_policy = EXCLUDED.stock_policy, scarce = EXCLUDED.scarce, purchase_limit = EXCLUDED.purchase_limit,
         tax_rate_bp = EXCLUDED.tax_rate_bp, revision = EXCLUDED.revision
       WHERE catalog_sku.revision < EXCLUDED.revision`,
      [
        sku.skuId,
        sku.merchantId,
        sku.name,
        sku.priceMinor,
        sku.currency,
        sku.onShelf,
        sku.fulfilmentType,
        sku.stockPolicy,
        sku.scarce,
        sku.purchaseLimit ?? null,
        sku.taxRateBasisPoints ?? null,
        sku.revision,
      ],
    );
  }
}
