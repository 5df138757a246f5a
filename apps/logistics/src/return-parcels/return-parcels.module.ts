import { Module } from '@nestjs/common';
import { TrackingRegistrationModule } from '../tracking-registration/tracking-registration.module.js';
import { ReturnParcelsHandler } from './return-parcels.handler.js';
import { ReturnParcelsService } from './return-parcels.service.js';

@Module({
  imports: [TrackingRegistrationModule],
  controllers: [ReturnParcelsHandler],
  providers: [ReturnParcelsService],
  exports: [ReturnParcelsService],
})
export class ReturnParcelsModule {}
