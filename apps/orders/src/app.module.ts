import { Module } from '@nestjs/common';

/** Parent orders, lines, pricing, apportionment, sub-orders and the order saga. */
@Module({})
export class OrdersAppModule {}
