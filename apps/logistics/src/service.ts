import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { LogisticsConfig } from './config/logistics-config.js';
import { FulfilmentModule } from './fulfilment/fulfilment.module.js';
import { InterceptionModule } from './interception/interception.module.js';
import { SubOrderInterception } from './interception/sub-order-interception.entity.js';
import { logisticsStuckWork } from './metrics/stuck-work.js';
import { LogisticsSubOrders1764400000000 } from './migrations/1764400000000-sub-orders.js';
import { LogisticsParcels1764400000001 } from './migrations/1764400000001-parcels.js';
import { LogisticsTracking1764400000002 } from './migrations/1764400000002-tracking.js';
import { LogisticsInterception1764400000003 } from './migrations/1764400000003-interception.js';
import { LogisticsTrackingRegistration1764400000010 } from './migrations/1764400000010-tracking-registration.js';
import { LogisticsPurchaseMaybePlaced1764400000011 } from './migrations/1764400000011-purchase-maybe-placed.js';
import { LogisticsReplacementSubOrders1764400000012 } from './migrations/1764400000012-replacement-sub-orders.js';
import { LogisticsReturnParcels1764400000013 } from './migrations/1764400000013-return-parcels.js';
import { LogisticsStuckWorkIndexes1764400000014 } from './migrations/1764400000014-stuck-work-indexes.js';
import { LogisticsParcelTrackingNumber1764400000020 } from './migrations/1764400000020-parcel-tracking-number.js';
import { Parcel } from './parcels/parcel.entity.js';
import { ParcelLine } from './parcels/parcel-line.entity.js';
import { ParcelStateChange } from './parcels/parcel-state-change.entity.js';
import { PlatformPurchase } from './platform-purchases/platform-purchase.entity.js';
import { PlatformPurchasesModule } from './platform-purchases/platform-purchases.module.js';
import { ReturnParcel } from './return-parcels/return-parcel.entity.js';
import { ReturnParcelCheckpoint } from './return-parcels/return-parcel-checkpoint.entity.js';
import { ReturnParcelsModule } from './return-parcels/return-parcels.module.js';
import { SubOrder } from './sub-orders/sub-order.entity.js';
import { SubOrderLine } from './sub-orders/sub-order-line.entity.js';
import { SubOrderStateChange } from './sub-orders/sub-order-state-change.entity.js';
import { SubOrdersModule } from './sub-orders/sub-orders.module.js';
import { ParcelCheckpoint } from './tracking/parcel-checkpoint.entity.js';
import { ParkedTrackingReport } from './tracking/parked-tracking-report.entity.js';
import { TrackingModule } from './tracking/tracking.module.js';
import { TrackingRegistration } from './tracking-registration/tracking-registration.entity.js';
import { TrackingRegistrationModule } from './tracking-registration/tracking-registration.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export const LOGISTICS_ENTITIES = [
  SubOrder,
  SubOrderLine,
  SubOrderStateChange,
  Parcel,
  ParcelLine,
  ParcelStateChange,
  ParcelCheckpoint,
  ParkedTrackingReport,
  SubOrderInterception,
  PlatformPurchase,
  TrackingRegistration,
  ReturnParcel,
  ReturnParcelCheckpoint,
];
export const LOGISTICS_MIGRATIONS = [
  LogisticsSubOrders1764400000000,
  LogisticsParcels1764400000001,
  LogisticsTracking1764400000002,
  LogisticsInterception1764400000003,
  LogisticsTrackingRegistration1764400000010,
  LogisticsPurchaseMaybePlaced1764400000011,
  LogisticsReplacementSubOrders1764400000012,
  LogisticsReturnParcels1764400000013,
  LogisticsStuckWorkIndexes1764400000014,
  LogisticsParcelTrackingNumber1764400000020,
];

export const logisticsService = defineEventDrivenService<LogisticsConfig>({
  name: 'logistics',
  config: LogisticsConfig,
  publishes: [Topics.logistics],
  // order.split (v2) brings the sub-orders, order.interception-requested a shopper's cancel after
  // payment; inventory's replacement.stock-deducted the replacement of an exchange, one more sub-order;
  // after-sales' return-shipped a return parcel to follow by its carrier's tracking.
  consumes: [Topics.orders, Topics.inventory, Topics.afterSales],
  entities: LOGISTICS_ENTITIES,
  migrations: LOGISTICS_MIGRATIONS,
  stuckWork: logisticsStuckWork,
  rawBody: true,
  features: [
    SubOrdersModule,
    PlatformPurchasesModule,
    InterceptionModule,
    FulfilmentModule,
    TrackingModule,
    TrackingRegistrationModule,
    ReturnParcelsModule,
    WebhooksModule,
  ],
});
