import {
  AnswerInterceptionRequest,
  HandOverParcelRequest,
  ListSubOrdersQuery,
  LogisticsIdParam,
  PackSubOrderRequest,
  ReportShipmentRequest,
  WarehouseSubOrderPageResponse,
  WarehouseSubOrderResponse,
} from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { Upstreams } from '../upstream/upstreams.js';
import { scopeOf } from './warehouse-scope.js';

/**
 * The warehouse's and the merchant's screens: the sub-orders to fulfil, and each step taken with
 * them. Forwarded to logistics, which answers the sub-order as the step left it; the staff
 * member (the token's subject) is recorded with every step.
 */
@ApiTags('warehouse')
@ApiBearerAuth()
@Controller('api/v1/warehouse')
export class WarehouseController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('sub-orders')
  @Roles('warehouse', 'admin')
  @ApiOperation({ summary: 'A warehouse’s (or drop-ship merchant’s) sub-orders, oldest first, optionally in one state' })
  @ApiOkResponse({ type: WarehouseSubOrderPageResponse })
  @ApiProblems(401, 403)
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListSubOrdersQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WarehouseSubOrderPageResponse> {
    const search = new URLSearchParams({ warehouseId: query.warehouseId, page: String(query.page), pageSize: String(query.pageSize) });
    if (query.state) search.set('state', query.state);
    return this.upstreams.forward(reply, 'logistics', { path: `/internal/sub-orders?${search}`, headers: scopeOf(user) });
  }

  @Get('sub-orders/:id')
  @Roles('warehouse', 'admin')
  @ApiOperation({ summary: 'One sub-order: what to send, to whom, in which parcels, and every step so far' })
  @ApiOkResponse({ type: WarehouseSubOrderResponse })
  @ApiProblems(401, 403, 404)
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: LogisticsIdParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WarehouseSubOrderResponse> {
    return this.upstreams.forward(reply, 'logistics', { path: `/internal/sub-orders/${id}`, headers: scopeOf(user) });
  }

  @Post('sub-orders/:id/pick')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'Start picking a sub-order of our own warehouse',
    description:
      'Picking again answers the sub-order as it is. A drop-ship sub-order, or one past AWAITING_PICK: 409 `sub-order-step-refused`.',
  })
  @ApiOkResponse({ type: WarehouseSubOrderResponse, description: 'The sub-order, PICKING' })
  @ApiProblems(401, 403, 404, 409)
  pick(@CurrentUser() user: AuthenticatedUser, @Param() { id }: LogisticsIdParam, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step<WarehouseSubOrderResponse>(reply, user, `/internal/sub-orders/${id}/pick`, {});
  }

  @Post('sub-orders/:id/pack')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'Pack a picked sub-order into parcels',
    description:
      'Every unit of the sub-order goes into exactly one parcel, else 422 `parcel-contents-invalid` naming each problem. Packing a packed sub-order again answers it as it is.',
  })
  @ApiOkResponse({ type: WarehouseSubOrderResponse, description: 'The sub-order, PACKED, with its parcels' })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  pack(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: LogisticsIdParam,
    @Body() body: PackSubOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step<WarehouseSubOrderResponse>(reply, user, `/internal/sub-orders/${id}/pack`, body);
  }

  @Post('sub-orders/:id/shipments')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'A drop-ship merchant reports parcels it handed to carriers',
    description:
      'All or some of the sub-order’s units; a parcel reported before (same carrier and tracking number) is not made again. More units than the sub-order has: 422. Not a drop-ship sub-order: 409.',
  })
  @ApiOkResponse({ type: WarehouseSubOrderResponse, description: 'The sub-order, PARTIALLY_SHIPPED or SHIPPED' })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  reportShipment(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: LogisticsIdParam,
    @Body() body: ReportShipmentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step<WarehouseSubOrderResponse>(reply, user, `/internal/sub-orders/${id}/shipments`, body);
  }

  @Post('sub-orders/:id/interception')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'A drop-ship merchant answers a shopper’s request to stop a sub-order',
    description:
      'Only while the sub-order is INTERCEPTING. `stopped: true`: INTERCEPTED, and the shopper is refunded and the stock restocked; `stopped: false`: it had already left, back to AWAITING_PICK to report the shipment. The same answer again: 200; another answer, or nothing asked: 409 `sub-order-step-refused`.',
  })
  @ApiOkResponse({ type: WarehouseSubOrderResponse, description: 'The sub-order, INTERCEPTED or AWAITING_PICK' })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  answerInterception(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: LogisticsIdParam,
    @Body() body: AnswerInterceptionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step<WarehouseSubOrderResponse>(reply, user, `/internal/sub-orders/${id}/interception`, body);
  }

  @Post('parcels/:id/handover')
  @HttpCode(200)
  @Roles('warehouse', 'admin')
  @ApiOperation({
    summary: 'Hand a packed parcel to a carrier',
    description:
      'The sub-order becomes PARTIALLY_SHIPPED, or SHIPPED with its last parcel. The same handover again answers 200; another label for the parcel: 409 `parcel-already-handed-over`; a label already on another parcel: 409 `tracking-number-taken`.',
  })
  @ApiOkResponse({ type: WarehouseSubOrderResponse, description: 'The parcel’s sub-order' })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  handOver(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: LogisticsIdParam,
    @Body() body: HandOverParcelRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step<WarehouseSubOrderResponse>(reply, user, `/internal/parcels/${id}/handover`, body);
  }

  private step<T>(reply: FastifyReply, user: AuthenticatedUser, path: string, body: unknown): Promise<T> {
    return this.upstreams.forward<T>(reply, 'logistics', {
      method: 'POST',
      path,
      body,
      headers: { [ACTOR_HEADER]: user.id, ...scopeOf(user) },
    });
  }
}
