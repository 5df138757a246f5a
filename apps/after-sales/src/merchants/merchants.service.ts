import type { CustomerServiceContactResponse, MerchantUpsertedV1 } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { Merchant } from './merchant.entity.js';

/** Merchants as the catalog describes them: whom a shopper reaches about a request. */
@Injectable()
export class MerchantsService {
  /** Keeps the newest description: a late copy never overwrites a newer one. */
  async upserted(manager: EntityManager, event: MerchantUpsertedV1): Promise<void> {
    await manager.query(
      `INSERT INTO merchant (id, name, customer_service, changed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, customer_service = EXCLUDED.customer_service, changed_at = EXCLUDED.changed_at
       WHERE merchant.changed_at <= EXCLUDED.changed_at`,
      [event.merchantId, event.name, event.customerService ? JSON.stringify(event.customerService) : null, event.changedAt],
    );
  }

  /** Each merchant's contact; a merchant the catalog has not described yet answers with nulls. */
  async contacts(manager: EntityManager, merchantIds: readonly string[]): Promise<Map<string, CustomerServiceContactResponse>> {
    const ids = [...new Set(merchantIds)];
    const rows = ids.length === 0 ? [] : await manager.find(Merchant, { where: { id: In(ids) } });
    const known = new Map(rows.map((row) => [row.id, row]));
    return new Map(
      ids.map((id) => {
        const merchant = known.get(id);
        return [
          id,
          {
            merchantId: id,
            name: merchant?.name ?? null,
            phone: merchant?.customerService?.phone ?? null,
            hours: merchant?.customerService?.hours ?? null,
            chatUrl: merchant?.customerService?.chatUrl ?? null,
          },
        ];
      }),
    );
  }
}
