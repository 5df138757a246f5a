import { Module } from '@nestjs/common';

/** After-sales requests, evidence, approvals, return parcels and refund computation. */
@Module({})
export class AfterSalesAppModule {}
