import type { FulfilmentType, StockPolicy } from '@mallard/contracts';
import type { CustomerServiceContact, SkuFacts } from '../catalog/catalog.rules.js';

/**
 * A small mall to click through: three merchants, three warehouses (the mall's own, a
 * drop-shipping merchant's and a third-party platform's), a dozen SKUs with both stock
 * policies, one scarce SKU with a purchase limit, one off the shelf, and opening stock.
 */
export interface DemoMall {
  merchants: { id: string; name: string; defaultStockPolicy: StockPolicy; customerService?: CustomerServiceContact }[];
  warehouses: { id: string; name: string; merchantId: string | null; fulfilmentType: FulfilmentType }[];
  skus: SkuFacts[];
  receipts: { skuId: string; warehouseId: string; quantity: number }[];
}

const sku = (
  id: string,
  merchantId: string,
  name: string,
  priceMinor: number,
  fulfilmentType: FulfilmentType,
  extra: Partial<Pick<DemoMall['skus'][number], 'stockPolicy' | 'scarce' | 'purchaseLimit' | 'onShelf'>> = {},
): DemoMall['skus'][number] => ({
  id,
  merchantId,
  name,
  priceMinor,
  currency: 'EUR',
  onShelf: extra.onShelf ?? true,
  fulfilmentType,
  stockPolicy: extra.stockPolicy ?? null,
  scarce: extra.scarce ?? false,
  purchaseLimit: extra.purchaseLimit ?? null,
  taxRateBasisPoints: null,
});

export const DEMO_MALL: DemoMall = {
  merchants: [
    {
      id: 'm-mallard-basics',
      name: 'Mallard Basics',
      defaultStockPolicy: 'RESERVE_ON_ORDER',
      customerService: {
        phone: '+86 (571) 8888-0000',
        hours: 'Every day 09:00–21:00 CST',
        chatUrl: 'https://chat.example.com/mallard-basics',
      },
    },
    {
      id: 'm-brightlane',
      name: 'Brightlane Electronics',
      defaultStockPolicy: 'DEDUCT_ON_PAYMENT',
      customerService: { phone: '+86 (21) 6666-0000', hours: 'Mon–Fri 09:00–18:00 CST' },
    },
    {
      id: 'm-green-pantry',
      name: 'Green Pantry',
      defaultStockPolicy: 'RESERVE_ON_ORDER',
      customerService: { chatUrl: 'https://chat.example.com/green-pantry' },
    },
  ],
  warehouses: [
    { id: 'wh-mallard-central', name: 'Mallard Central Warehouse', merchantId: null, fulfilmentType: 'SELF_OPERATED' },
    { id: 'wh-green-pantry-farm', name: 'Green Pantry Farm (ships itself)', merchantId: 'm-green-pantry', fulfilmentType: 'DROP_SHIP' },
    { id: 'wh-globalmart', name: 'GlobalMart Fulfilment (third-party platform)', merchantId: null, fulfilmentType: 'THIRD_PARTY_PLATFORM' },
  ],
  skus: [
    sku('sku-kettle', 'm-mallard-basics', 'Electric Kettle 1.7 L', 3999, 'SELF_OPERATED'),
    sku('sku-towel-set', 'm-mallard-basics', 'Bath Towel Set, 4 pieces', 2499, 'SELF_OPERATED'),
    sku('sku-mug', 'm-mallard-basics', 'Stoneware Mug', 899, 'SELF_OPERATED'),
    sku('sku-mug-winter', 'm-mallard-basics', 'Stoneware Mug, winter edition', 1099, 'SELF_OPERATED', { onShelf: false }),
    sku('sku-sneakers', 'm-mallard-basics', 'Trail Running Sneakers', 7999, 'THIRD_PARTY_PLATFORM'),
    sku('sku-backpack', 'm-mallard-basics', 'Commuter Backpack 20 L', 5999, 'THIRD_PARTY_PLATFORM', { stockPolicy: 'DEDUCT_ON_PAYMENT' }),
    sku('sku-headphones', 'm-brightlane', 'Noise-Cancelling Headphones', 12999, 'SELF_OPERATED', { stockPolicy: 'RESERVE_ON_ORDER' }),
    sku('sku-usb-c-cable', 'm-brightlane', 'USB-C Cable 2 m', 1299, 'SELF_OPERATED'),
    sku('sku-charger-65w', 'm-brightlane', '65 W USB-C Charger', 3499, 'SELF_OPERATED'),
    sku('sku-console-limited', 'm-brightlane', 'Game Console, Limited Edition', 49999, 'SELF_OPERATED', {
      stockPolicy: 'RESERVE_ON_ORDER',
      scarce: true,
      purchaseLimit: 1,
    }),
    sku('sku-honey', 'm-green-pantry', 'Wildflower Honey 500 g', 1150, 'DROP_SHIP'),
    sku('sku-olive-oil', 'm-green-pantry', 'Extra Virgin Olive Oil 1 L', 1490, 'DROP_SHIP'),
    sku('sku-coffee-beans', 'm-green-pantry', 'Single-Origin Coffee Beans 1 kg', 2890, 'DROP_SHIP', { stockPolicy: 'DEDUCT_ON_PAYMENT' }),
  ],
  receipts: [
    { skuId: 'sku-kettle', warehouseId: 'wh-mallard-central', quantity: 120 },
    { skuId: 'sku-towel-set', warehouseId: 'wh-mallard-central', quantity: 80 },
    { skuId: 'sku-mug', warehouseId: 'wh-mallard-central', quantity: 300 },
    { skuId: 'sku-mug-winter', warehouseId: 'wh-mallard-central', quantity: 40 },
    { skuId: 'sku-sneakers', warehouseId: 'wh-globalmart', quantity: 60 },
    { skuId: 'sku-backpack', warehouseId: 'wh-globalmart', quantity: 25 },
    { skuId: 'sku-headphones', warehouseId: 'wh-mallard-central', quantity: 35 },
    { skuId: 'sku-usb-c-cable', warehouseId: 'wh-mallard-central', quantity: 500 },
    { skuId: 'sku-charger-65w', warehouseId: 'wh-mallard-central', quantity: 90 },
    { skuId: 'sku-console-limited', warehouseId: 'wh-mallard-central', quantity: 10 },
    { skuId: 'sku-honey', warehouseId: 'wh-green-pantry-farm', quantity: 200 },
    { skuId: 'sku-olive-oil', warehouseId: 'wh-green-pantry-farm', quantity: 150 },
    { skuId: 'sku-coffee-beans', warehouseId: 'wh-green-pantry-farm', quantity: 5 },
  ],
};
