import { Module } from '@nestjs/common';
import { ParcelsModule } from '../parcels/parcels.module.js';
import { ReturnParcelsModule } from '../return-parcels/return-parcels.module.js';
import { SubOrdersModule } from '../sub-orders/sub-orders.module.js';
import { TrackingService } from './tracking.service.js';

@Module({
  imports: [SubOrdersModule, ParcelsModule, ReturnParcelsModule],
  providers: [TrackingService],
  exports: [TrackingService],
})
export class TrackingModule {}
