import { StaffOrderPageResponse } from '@mallard/contracts';
import { requestProblems } from '@mallard/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { StaffOrderSearchQuery } from './orders.requests.js';
import { StaffOrderSearch } from './staff-order-search.service.js';

/** Customer service finds the order a caller means when they cannot quote its id. */
@ApiTags('back office')
@ApiBearerAuth()
@Controller('api/v1/admin/orders')
export class StaffOrdersController {
  constructor(private readonly search: StaffOrderSearch) {}

  @Get()
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Find orders by buyer or by a parcel’s tracking number',
    description:
      'Exactly one of `buyerId` (the buyer’s orders, newest first, as orders lists them) and `trackingNumber` (the orders of the parcels, sent or coming back in after-sales, that carry it: a number is unique per carrier only; the newest parcel’s order first); neither or both is 400 `validation-failed`. Each order as a shopper’s list shows it, with its buyer; GET /api/v1/orders/{id} gives it whole.',
  })
  @ApiOkResponse({ type: StaffOrderPageResponse })
  @ApiProblems(401, 403)
  find(@Query() query: StaffOrderSearchQuery): Promise<StaffOrderPageResponse> {
    const { buyerId, trackingNumber, page, pageSize } = query;
    if (buyerId !== undefined && trackingNumber === undefined) return this.search.byBuyer(buyerId, page, pageSize);
    if (trackingNumber !== undefined && buyerId === undefined) return this.search.byTrackingNumber(trackingNumber, page, pageSize);
    const message = 'give exactly one of buyerId and trackingNumber';
    throw requestProblems.validationFailed([
      { field: 'buyerId', messages: [message] },
      { field: 'trackingNumber', messages: [message] },
    ]);
  }
}
