import { Module } from '@nestjs/common';

/** Sub-order warehouse status, parcels, carriers, tracking events and interception. */
@Module({})
export class LogisticsAppModule {}
