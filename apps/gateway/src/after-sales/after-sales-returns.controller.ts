import {
  AfterSalesRefundResponse,
  AfterSalesRequestResponse,
  BookReturnPickupRequest,
  InspectReturnRequest,
  ReceiveReturnRequest,
  ReturnParcelResponse,
  ReturnShippingResponse,
  WarehouseReturnsPageResponse,
  WarehouseReturnsQuery,
} from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { Upstreams } from '../upstream/upstreams.js';
import { scopeOf } from '../warehouse/warehouse-scope.js';
import { AfterSalesIdParam } from './after-sales.requests.js';

/**
 * The warehouse's part of a return: the returns coming back to it, a pickup booked from the
 * shopper, the parcel arrived, and what the goods were found to be.
 * Each step is recorded with the staff member (the token's subject); warehouse staff name their
 * warehouses to after-sales as they do to logistics.
 */
@ApiTags('after-sales')
@ApiBearerAuth()
// Referenced only where they may be null (nullableObject), so not found through the answers' types.
@ApiExtraModels(ReturnShippingResponse, ReturnParcelResponse, AfterSalesRefundResponse)
@Controller('api/v1/warehouse/after-sales')
export class AfterSalesReturnsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'The returns coming back to a warehouse, oldest state change first',
    description:
      'Returns and exchanges with units a sub-order shipped from `warehouseId` (a refund only sends nothing back). Without `state`, those the warehouse has work with: APPROVED (a pickup to book, or goods not sent yet), RETURN_SHIPPED (to receive) and RETURN_RECEIVED (to inspect). `state` takes only states from APPROVED on: a request not approved yet (REQUESTED, AWAITING_EVIDENCE) or REJECTED sends nothing back, and asking for one is a 400 `validation-failed`. Warehouse staff name one of their token’s warehouses, else 403 `after-sales-warehouse-not-yours`, and see only the requests whose every unit came from their token’s warehouses: exactly those they may book a pickup for, receive and inspect (a request with units from two warehouses is listed to a token naming both, or to an admin). Each is answered as the warehouse sees it: the units, the return parcel and where it is, without the buyer, their description and evidence, customer service’s notes or the refund (customer service and admins read those with GET /api/v1/after-sales/{id}).',
  })
  @ApiOkResponse({ type: WarehouseReturnsPageResponse })
  @ApiProblems(401, 403)
  comingBack(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: WarehouseReturnsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WarehouseReturnsPageResponse> {
    const search = new URLSearchParams({ warehouseId: query.warehouseId, page: String(query.page), pageSize: String(query.pageSize) });
    if (query.state) search.set('state', query.state);
    return this.upstreams.forward(reply, 'after-sales', { path: `/internal/warehouse/after-sales?${search}`, headers: scopeOf(user) });
  }

  @Post(':id/pickup')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'The merchant booked a carrier to fetch the goods from the shopper',
    description:
      'Instead of the shopper sending the goods: the booking’s carrier and waybill become the return parcel (`bookedBy: MERCHANT`, with `pickupAt`) and the request becomes RETURN_SHIPPED; logistics follows the parcel by the carrier’s tracking. Only for an approved return or exchange, else 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  bookPickup(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: BookReturnPickupRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.step(reply, user, `/internal/warehouse/after-sales/${id}/pickup`, body);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'The return parcel arrived at the warehouse',
    description:
      'The request becomes RETURN_RECEIVED and waits for its inspection; with `refund: false` (the reason in `note`, else 409) its inspection then ends it without a refund or replacement (CLOSED). A request with no parcel on its way: 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  receive(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: ReceiveReturnRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.step(reply, user, `/internal/warehouse/after-sales/${id}/receive`, body);
  }

  @Post(':id/inspection')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'What the returned goods were found to be',
    description:
      '`passed: true`: back to sellable stock, and the refund (or the replacement) follows; `passed: false`: booked as damaged, and refunded only when the seller is at fault (else CLOSED, nothing refunded). Only after the parcel was received, else 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  inspect(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: InspectReturnRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.step(reply, user, `/internal/warehouse/after-sales/${id}/inspection`, body);
  }

  private step(reply: FastifyReply, user: AuthenticatedUser, path: string, body: unknown): Promise<AfterSalesRequestResponse> {
    return this.upstreams.forward(reply, 'after-sales', {
      method: 'POST',
      path,
      body,
      headers: { [ACTOR_HEADER]: user.id, ...scopeOf(user) },
    });
  }
}
