import { ApiProperty } from '@nestjs/swagger';
import { InvoiceSummaryResponse } from './invoices.responses.js';
import { ShipmentResponse } from './logistics.responses.js';
import { OrderResponse } from './orders.responses.js';

/** GET /api/v1/orders/{id}: the order, and how each of its sub-orders is on its way. */
export class OrderDetailResponse extends OrderResponse {
  @ApiProperty({
    type: () => [ShipmentResponse],
    nullable: true,
    description:
      'One per sub-order, in the order of `subOrders`: its warehouse or merchant status, the interception, its parcels with carrier, tracking number and history. Empty until the order is split; null when they cannot be read at the moment (logistics does not answer), the rest of the order being served',
  })
  shipments: ShipmentResponse[] | null;
  @ApiProperty({
    type: () => [InvoiceSummaryResponse],
    nullable: true,
    description:
      'The order’s invoices and credit notes, oldest first (GET /api/v1/invoices/{number} gives one whole, as JSON or PDF). Empty until the first is issued; null when they cannot be read at the moment, the rest of the order being served',
  })
  invoices: InvoiceSummaryResponse[] | null;
}
