import { Module } from '@nestjs/common';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { RequestsController } from './requests.controller.js';
import { RequestQueries } from './requests.queries.js';
import { RequestsService } from './requests.service.js';

/** Requests: their one way of changing, and how they read. */
@Module({
  imports: [MerchantsModule, EvidenceModule],
  controllers: [RequestsController],
  providers: [RequestsService, RequestQueries],
  exports: [RequestsService, RequestQueries],
})
export class RequestsModule {}
