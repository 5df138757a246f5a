import { Module } from '@nestjs/common';
import { InterceptionModule } from '../interception/interception.module.js';
import { ParcelsModule } from '../parcels/parcels.module.js';
import { SubOrdersModule } from '../sub-orders/sub-orders.module.js';
import { TrackingModule } from '../tracking/tracking.module.js';
import { TrackingRegistrationModule } from '../tracking-registration/tracking-registration.module.js';
import { FulfilmentController } from './fulfilment.controller.js';
import { FulfilmentQueries } from './fulfilment.queries.js';
import { FulfilmentService } from './fulfilment.service.js';
import { ShipmentReportsService } from './shipment-reports.service.js';

@Module({
  imports: [SubOrdersModule, ParcelsModule, TrackingModule, InterceptionModule, TrackingRegistrationModule],
  controllers: [FulfilmentController],
  providers: [FulfilmentService, FulfilmentQueries, ShipmentReportsService],
  exports: [ShipmentReportsService],
})
export class FulfilmentModule {}
