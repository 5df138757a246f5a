import { Module } from '@nestjs/common';
import { LogisticsConfig } from '../config/logistics-config.js';
import { TRACKING_REGISTRAR, trackingRegistrarFor } from './tracking-registrars.js';
import { TrackingRegistrations } from './tracking-registration.service.js';
import { TrackingRegistrationWorker } from './tracking-registration.worker.js';

@Module({
  providers: [
    TrackingRegistrations,
    TrackingRegistrationWorker,
    { provide: TRACKING_REGISTRAR, useFactory: trackingRegistrarFor, inject: [LogisticsConfig] },
  ],
  exports: [TrackingRegistrations],
})
export class TrackingRegistrationModule {}
