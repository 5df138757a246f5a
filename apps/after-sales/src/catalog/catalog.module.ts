import { Module } from '@nestjs/common';
import { CatalogHandler } from './catalog.handler.js';
import { CatalogService } from './catalog.service.js';

/** SKUs and their prices, kept from the catalog's events. */
@Module({ controllers: [CatalogHandler], providers: [CatalogService], exports: [CatalogService] })
export class CatalogModule {}
