import { type AfterSalesType } from '@mallard/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** The request types whose goods come back to a warehouse (a refund only keeps them with the shopper). */
export const RETURNING_TYPES: readonly AfterSalesType[] = ['RETURN_AND_REFUND', 'EXCHANGE'];

/** The after-sales service's own metrics, on the service's registry (served at /metrics). */
@Injectable()
export class AfterSalesMetrics {
  /** Returns whose goods the warehouse received: the order flow's "returned". */
  readonly returnsReceived: Counter<'type'>;

  constructor(@Inject(Registry) registry: Registry) {
    this.returnsReceived = new Counter({
      name: 'after_sales_returns_received_total',
      help: 'After-sales requests whose goods the warehouse received back (RETURN_RECEIVED), by request type, counted once each when that step commits',
      labelNames: ['type'],
      registers: [registry],
    });
    // Every type from 0, so a rate over either is defined before its first return.
    for (const type of RETURNING_TYPES) this.returnsReceived.inc({ type }, 0);
  }
}
