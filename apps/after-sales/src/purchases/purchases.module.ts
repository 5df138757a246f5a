import { Module } from '@nestjs/common';
import { PurchasesHandler } from './purchases.handler.js';
import { PurchasesService } from './purchases.service.js';

/** Orders' figures, compensations and parcels, as after-sales keeps them. */
@Module({ controllers: [PurchasesHandler], providers: [PurchasesService], exports: [PurchasesService] })
export class PurchasesModule {}
