import { Module } from '@nestjs/common';

/** SKUs, stock per warehouse, holds, deductions and warehouse allocation; features come from service.ts. */
@Module({})
export class InventoryAppModule {}
