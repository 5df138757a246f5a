import { Module } from '@nestjs/common';

/** Payments, tenders, gift-card and points ledgers, payment log, refunds and reconciliation. */
@Module({})
export class PaymentsAppModule {}
