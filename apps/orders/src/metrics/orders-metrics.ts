import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { PaymentMismatch } from '../saga/payment-match.js';

const PAYMENT_MISMATCHES: readonly PaymentMismatch[] = ['AMOUNT', 'CURRENCY'];

/** The orders service's own metrics, on the service's registry (served at /metrics). */
@Injectable()
export class OrdersMetrics {
  /** Payments that did not pay their order exactly; each one needs a person to look at it. */
  readonly paymentAmountMismatch: Counter<'mismatch'>;

  constructor(@Inject(Registry) registry: Registry) {
    this.paymentAmountMismatch = new Counter({
      name: 'mallard_payment_amount_mismatch_total',
      help: 'payment.succeeded events whose amount or currency differs from the order; the order was not marked paid',
      labelNames: ['mismatch'],
      registers: [registry],
    });
    // At 0 from the start, so an alert on its increase fires for the very first one.
    for (const mismatch of PAYMENT_MISMATCHES) this.paymentAmountMismatch.inc({ mismatch }, 0);
  }
}
