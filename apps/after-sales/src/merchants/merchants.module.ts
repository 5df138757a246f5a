import { Module } from '@nestjs/common';
import { MerchantsHandler } from './merchants.handler.js';
import { MerchantsService } from './merchants.service.js';

/** Merchants' customer-service contacts, kept from the catalog's events. */
@Module({ controllers: [MerchantsHandler], providers: [MerchantsService], exports: [MerchantsService] })
export class MerchantsModule {}
