import { Module } from '@nestjs/common';
import { CatalogHandler } from './catalog.handler.js';

/** Orders' copy of inventory's SKUs, kept from sku.upserted; placement reads the table directly. */
@Module({ controllers: [CatalogHandler] })
export class CatalogModule {}
