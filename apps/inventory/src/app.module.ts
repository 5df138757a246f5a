import { Module } from '@nestjs/common';

/** SKUs, stock per warehouse, holds, deductions and warehouse allocation. */
@Module({})
export class InventoryAppModule {}
