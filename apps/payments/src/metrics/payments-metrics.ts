import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { ProviderMismatch } from '../payment/provider-mismatch.js';

const PROVIDER_MISMATCHES: readonly ProviderMismatch[] = ['AMOUNT', 'CURRENCY'];

/** The payments service's own metrics, on the service's registry (served at /metrics). */
@Injectable()
export class PaymentsMetrics {
  /**
   * Provider captures of another amount or currency than we asked for; each one needs a person to
   * look at it. The same metric as orders' (which counts payments that do not pay their order),
   * told apart by the `service` label.
   */
  readonly paymentAmountMismatch: Counter<'mismatch'>;

  constructor(@Inject(Registry) registry: Registry) {
    this.paymentAmountMismatch = new Counter({
      name: 'mallard_payment_amount_mismatch_total',
      help: 'Provider callbacks reporting a capture whose amount or currency differs from what was asked; the payment was not marked succeeded',
      labelNames: ['mismatch'],
      registers: [registry],
    });
    // At 0 from the start, so an alert on its increase fires for the very first one.
    for (const mismatch of PROVIDER_MISMATCHES) this.paymentAmountMismatch.inc({ mismatch }, 0);
  }
}
