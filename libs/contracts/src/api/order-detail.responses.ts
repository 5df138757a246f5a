import { ApiProperty } from '@nestjs/swagger';
import { ShipmentResponse } from './logistics.responses.js';
import { OrderResponse } from './orders.responses.js';

/** GET /api/v1/orders/{id}: the order, and how each of its sub-orders is on its way. */
export class OrderDetailResponse extends OrderResponse {
  @ApiProperty({
    type: () => [ShipmentResponse],
    description:
      'One per sub-order, in the order of `subOrders`: its warehouse or merchant status, the interception, its parcels with carrier, tracking number and history. Empty until the order is split, and when logistics cannot be reached at the moment',
  })
  shipments: ShipmentResponse[];
}
