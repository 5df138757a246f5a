import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ParcelsService } from './parcels.service.js';

@Module({
  imports: [MetricsModule],
  providers: [ParcelsService],
  exports: [ParcelsService],
})
export class ParcelsModule {}
