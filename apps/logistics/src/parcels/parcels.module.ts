import { Module } from '@nestjs/common';
import { ParcelsService } from './parcels.service.js';

@Module({
  providers: [ParcelsService],
  exports: [ParcelsService],
})
export class ParcelsModule {}
