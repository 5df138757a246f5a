import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** The logistics service's own metrics, on the service's registry (served at /metrics). */
@Injectable()
export class LogisticsMetrics {
  /** Outbound parcels that reached a carrier: the order flow's "shipped". */
  readonly parcelsShipped: Counter;
  /** Outbound parcels the carrier delivered: the order flow's "delivered". */
  readonly parcelsDelivered: Counter;

  constructor(@Inject(Registry) registry: Registry) {
    this.parcelsShipped = new Counter({
      name: 'parcels_shipped_total',
      help: 'Outbound parcels handed to a carrier (their first state from PICKED_UP on), counted once each when that change commits',
      registers: [registry],
    });
    this.parcelsDelivered = new Counter({
      name: 'parcels_delivered_total',
      help: 'Outbound parcels that reached DELIVERED, counted once each when that change commits',
      registers: [registry],
    });
  }
}
