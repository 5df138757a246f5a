import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { BillingModule } from './billing/billing.module.js';
import { OrderBilling } from './billing/order-billing.entity.js';
import { CancelModule } from './cancel/cancel.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { CatalogSku } from './catalog/catalog-sku.entity.js';
import { Compensation } from './compensation/compensation.entity.js';
import { CompensationModule } from './compensation/compensation.module.js';
import { OrdersConfig } from './config/orders-config.js';
import { ExpiryModule } from './expiry/expiry.module.js';
import { DeliveredParcel } from './invoicing/delivered-parcel.entity.js';
import { InvoiceRecord } from './invoicing/invoice-record.entity.js';
import { InvoicingModule } from './invoicing/invoicing.module.js';
import { SettledRefund } from './invoicing/settled-refund.entity.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ordersStuckWork } from './metrics/stuck-work.js';
import { OrdersSchema1764061000000 } from './migrations/1764061000000-orders-schema.js';
import { LineLimitCounted1764061000001 } from './migrations/1764061000001-line-limit-counted.js';
import { PaymentMismatch1764061000002 } from './migrations/1764061000002-payment-mismatch.js';
import { PlacementRequestAge1764061000003 } from './migrations/1764061000003-placement-request-age.js';
import { PlacementKeysShared1764061000004 } from './migrations/1764061000004-placement-keys-shared.js';
import { LineSharesFollowSubOrders1764061000005 } from './migrations/1764061000005-line-shares-follow-sub-orders.js';
import { InterceptionAndCompensation1764061000006 } from './migrations/1764061000006-interception-and-compensation.js';
import { PricingTerms1764061000007 } from './migrations/1764061000007-pricing-terms.js';
import { AfterSalesRefundsCounted1764061000008 } from './migrations/1764061000008-after-sales-refunds-counted.js';
import { OrderBilling1764061000009 } from './migrations/1764061000009-order-billing.js';
import { LineTaxRates1764061000010 } from './migrations/1764061000010-line-tax-rates.js';
import { Invoices1764061000011 } from './migrations/1764061000011-invoices.js';
import { StuckWorkIndexes1764061000012 } from './migrations/1764061000012-stuck-work-indexes.js';
import { OrderModule } from './order/order.module.js';
import { OrderLine } from './order/order-line.entity.js';
import { OrderStateChange } from './order/order-state-change.entity.js';
import { ParentOrder } from './order/parent-order.entity.js';
import { SubOrder } from './order/sub-order.entity.js';
import { PlacementModule } from './placement/placement.module.js';
import { PurchaseTally } from './placement/purchase-tally.entity.js';
import { CouponCode } from './promotions/coupon-code.entity.js';
import { Promotion } from './promotions/promotion.entity.js';
import { PromotionsModule } from './promotions/promotions.module.js';
import { SagaModule } from './saga/saga.module.js';

export const ORDERS_MIGRATIONS = [
  OrdersSchema1764061000000,
  LineLimitCounted1764061000001,
  PaymentMismatch1764061000002,
  PlacementRequestAge1764061000003,
  PlacementKeysShared1764061000004,
  LineSharesFollowSubOrders1764061000005,
  InterceptionAndCompensation1764061000006,
  PricingTerms1764061000007,
  AfterSalesRefundsCounted1764061000008,
  OrderBilling1764061000009,
  LineTaxRates1764061000010,
  Invoices1764061000011,
  StuckWorkIndexes1764061000012,
];

/** Parent orders, lines, pricing and promotions, billing details and invoices, apportionment, sub-orders and the order saga. */
export const ordersService = defineEventDrivenService<OrdersConfig>({
  name: 'orders',
  config: OrdersConfig,
  publishes: [Topics.orders],
  // Logistics: stopped sub-orders and refused or returned parcels, which the saga compensates;
  // after-sales: its refunds, which those compensations must not pay a second time.
  consumes: [Topics.inventory, Topics.payments, Topics.logistics, Topics.afterSales],
  entities: [
    CatalogSku,
    ParentOrder,
    OrderLine,
    SubOrder,
    OrderStateChange,
    PurchaseTally,
    Promotion,
    CouponCode,
    Compensation,
    OrderBilling,
    InvoiceRecord,
    SettledRefund,
    DeliveredParcel,
  ],
  features: [
    CatalogModule,
    OrderModule,
    PromotionsModule,
    PlacementModule,
    BillingModule,
    InvoicingModule,
    CancelModule,
    SagaModule,
    CompensationModule,
    ExpiryModule,
    MetricsModule,
  ],
  migrations: ORDERS_MIGRATIONS,
  stuckWork: ordersStuckWork,
});
