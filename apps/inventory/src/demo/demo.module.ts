import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { StockModule } from '../stock/stock.module.js';
import { DemoSeeder } from './demo-seeder.js';

@Module({ imports: [CatalogModule, StockModule], providers: [DemoSeeder] })
export class DemoModule {}
