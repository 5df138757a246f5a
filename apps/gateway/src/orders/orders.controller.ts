import {
  BillingDetailsRequest,
  BillingDetailsResponse,
  DeliverySlotResponse,
  type InvoiceListResponse,
  type InvoiceSummaryResponse,
  MAX_PAGE,
  OrderDetailResponse,
  OrderPageResponse,
  OrderResponse,
  PlaceOrderRequest,
  ReorderResponse,
  SHOPPER_ORDER_STATUSES,
  ShipmentResponse,
  SubOrderInterceptionResponse,
} from '@mallard/contracts';
import { BUYER_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, ownerScope, Roles } from '../auth/index.js';
import { ApiIdempotencyKey, ApiProblems } from '../edge/api-problems.js';
import { ReadModelQueries, statusFromOrdersAlone } from '../read-model/read-model.queries.js';
import type { ShopperStatus } from '../read-model/shopper-status.js';
import { Upstreams } from '../upstream/upstreams.js';
import { OrderListService } from './order-list.service.js';
import { ListOrdersQuery, ReorderRequest } from './orders.requests.js';
import { ReorderService } from './reorder.service.js';

/**
 * A shopper's orders. The buyer is always the token's subject: a shopper cannot place, read
 * or cancel anyone else's order (another's order is simply not found).
 */
@ApiTags('orders')
@ApiBearerAuth()
// Referenced only where they may be null (nullableObject), so not found through the answers' types.
@ApiExtraModels(OrderResponse, DeliverySlotResponse, BillingDetailsResponse, SubOrderInterceptionResponse)
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly reorders: ReorderService,
    private readonly statuses: ReadModelQueries,
    private readonly lists: OrderListService,
  ) {}

  /** An order answer with the shopper's status, when it is an order (not a problem). */
  private async withStatus<T extends { id: string; state: OrderResponse['state'] }>(reply: FastifyReply, answer: T): Promise<T> {
    if (reply.statusCode >= 300) return answer;
    const [order] = await this.statuses.withStatus([answer]);
    return order;
  }

  @Post()
  @Roles('shopper')
  @ApiOperation({
    summary: 'Place an order',
    description: 'Same Idempotency-Key and body: the same order (200). Same key, other body: 422.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: OrderResponse, description: 'The order, placed now' })
  @ApiOkResponse({ type: OrderResponse, description: 'A retry: the order this Idempotency-Key placed, as it is now' })
  @ApiProblems(401, 403, 413, 415, 422)
  async place(
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: PlaceOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const answer = await this.upstreams.forward<OrderResponse>(reply, 'orders', {
      method: 'POST',
      path: '/internal/orders',
      headers: { [BUYER_HEADER]: user.id, 'idempotency-key': idempotencyKey },
      body: request,
    });
    return reply.statusCode === 201 ? placedNow(answer) : this.withStatus(reply, answer);
  }

  @Get()
  @Roles('shopper')
  @ApiOperation({
    summary: 'My orders, newest first',
    description:
      'With `status`, only the orders in that shopper status, from the gateway’s read model: it follows the events of orders, payments, logistics and after-sales, so an order is listed under its new status a moment after it changed, and one placed a moment ago may not be listed yet.',
  })
  @ApiQuery({
    name: 'page',
    required: false,
    description: 'The page, from 1',
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
  })
  @ApiQuery({
    name: 'pageSize',
    required: false,
    description: 'Orders per page',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  })
  @ApiQuery({
    name: 'status',
    required: false,
    description: 'Only orders in this shopper status (eventually consistent: see the operation’s description)',
    enum: SHOPPER_ORDER_STATUSES,
  })
  @ApiOkResponse({ type: OrderPageResponse })
  @ApiProblems(401, 403)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListOrdersQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderPageResponse> {
    if (query.status) return this.lists.byStatus(user.id, query.status, query.page, query.pageSize);
    const page = await this.upstreams.forward<OrderPageResponse>(reply, 'orders', {
      path: `/internal/orders?page=${query.page}&pageSize=${query.pageSize}`,
      headers: { [BUYER_HEADER]: user.id },
    });
    if (reply.statusCode >= 300) return page;
    return { ...page, items: await this.statuses.withStatus(page.items) };
  }

  @Get(':id')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({
    summary: 'One order with its lines, amounts, sub-orders and history',
    description: 'Staff read any order; a shopper only their own (another’s is 404).',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiOkResponse({ type: OrderDetailResponse })
  @ApiProblems(401, 403, 404)
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderDetailResponse> {
    const answer = await this.upstreams.forward<OrderResponse>(reply, 'orders', {
      path: `/internal/orders/${orderId}`,
      headers: ownerScope(user),
    });
    if (reply.statusCode >= 300) return answer as OrderDetailResponse;
    // Orders answered, so the caller may see the order: its parcels are theirs to see too.
    const [order, shipments, invoices] = await Promise.all([
      this.withStatus(reply, answer),
      this.shipmentsOf(answer),
      this.invoicesOf(answer),
    ]);
    return { ...order, shipments, invoices };
  }

  /** The order's invoices and credit notes without their lines; none before the split, null while they cannot be read. */
  private async invoicesOf(order: OrderResponse): Promise<InvoiceSummaryResponse[] | null> {
    if (order.subOrders.length === 0) return [];
    try {
      const answer = await this.upstreams.call<InvoiceListResponse>('orders', { path: `/internal/orders/${order.id}/invoices` });
      if (answer.status !== 200) return null;
      return answer.body.documents.map(
        ({ orderId: _order, billedTo: _billed, lines: _lines, creditLines: _credit, taxByRate: _tax, ...summary }) => summary,
      );
    } catch {
      return null;
    }
  }

  /** How each sub-order is on its way, from logistics; none before the split, null while logistics does not answer. */
  private async shipmentsOf(order: OrderResponse): Promise<ShipmentResponse[] | null> {
    if (order.subOrders.length === 0) return [];
    try {
      const answer = await this.upstreams.call<ShipmentResponse[]>('logistics', { path: `/internal/orders/${order.id}/shipments` });
      return answer.status === 200 ? answer.body : null;
    } catch {
      return null;
    }
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('shopper')
  @ApiOperation({
    summary: 'Cancel an order: closed before payment, intercepted after',
    description:
      'Unpaid: 200, the order is closed and its stock holds released. Paid: 202, each sub-order is asked to stop (docs/logistics.md, "Interception"); follow `flags.interception` and each sub-order: stopped ones are refunded and restocked, ones already with a carrier are refused and go through after-sales. Cancelling again answers the same. An order that failed after payment (already refunded): 409 order-already-paid.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiOkResponse({ type: OrderResponse, description: 'The order, closed' })
  @ApiAcceptedResponse({ type: OrderResponse, description: 'The paid order, its sub-orders being asked to stop' })
  @ApiProblems(401, 403, 404, 409)
  async cancel(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const answer = await this.upstreams.forward<OrderResponse>(reply, 'orders', {
      method: 'POST',
      path: `/internal/orders/${orderId}/cancel`,
      headers: { [BUYER_HEADER]: user.id },
    });
    return this.withStatus(reply, answer);
  }

  @Put(':id/billing')
  @Roles('shopper')
  @ApiOperation({
    summary: 'Set or change the billing details of an order',
    description:
      'Who the invoice is made out to, replaced whole: a company gives its tax id, checked by its country (a Chinese Unified Social Credit Code by its check character, other countries by the format orders is configured with; 422 tax-id-invalid). Possible until the first invoice is issued, in any state but a cancelled or failed order (409 billing-not-changeable). The same details again change nothing; a change raises `version` and publishes order.billing-changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiOkResponse({ type: BillingDetailsResponse, description: 'The billing details as they are now' })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  changeBilling(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Body() request: BillingDetailsRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingDetailsResponse> {
    return this.upstreams.forward<BillingDetailsResponse>(reply, 'orders', {
      method: 'PUT',
      path: `/internal/orders/${orderId}/billing`,
      headers: { [BUYER_HEADER]: user.id },
      body: request,
    });
  }

  @Post(':id/reorder')
  @HttpCode(200)
  @Roles('shopper')
  @ApiOperation({
    summary: 'Buy again',
    description:
      'Checks every line of an old order (OK, OFF_SHELF, INSUFFICIENT_STOCK, PRICE_CHANGED, DISCONTINUED). With "place": true and an Idempotency-Key it also places a new order of the OK lines.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The old order' })
  @ApiIdempotencyKey(false)
  @ApiOkResponse({ type: ReorderResponse, description: 'The proposal (order null), or a retry of a placement: the order it placed' })
  @ApiCreatedResponse({ type: ReorderResponse, description: 'The proposal and the new order of its OK lines' })
  @ApiProblems(401, 403, 404, 413, 415, 422)
  async reorder(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: ReorderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReorderResponse> {
    const result = await this.reorders.reorder(user.id, orderId, request, idempotencyKey);
    void reply.status(result.order?.status ?? 200);
    const order = result.order?.body as OrderResponse | undefined;
    if (!order) return { proposal: result.proposal, order: null };
    return {
      proposal: result.proposal,
      order: result.order?.status === 201 ? placedNow(order) : (await this.statuses.withStatus([order]))[0],
    };
  }
}

/**
 * An order orders placed in this very request (its 201) with the status its own state gives, not
 * looked up in the read model: orders committed it just now, and the first event of it the read
 * model can have by then is its order.placed, whose roll-up gives that same status (no sub-orders,
 * nothing paid, refunded or asked). Anything later takes another service's event, or a payment for
 * an id only this answer carries. A retry (200) is looked up: its order may have moved on since.
 */
function placedNow<T extends { state: OrderResponse['state'] }>(order: T): T & ShopperStatus {
  return { ...order, ...statusFromOrdersAlone(order.state) };
}
