import { Module } from '@nestjs/common';
import { ParcelsController } from './parcels.controller.js';
import { WarehouseController } from './warehouse.controller.js';

@Module({ controllers: [WarehouseController, ParcelsController] })
export class WarehouseModule {}
