import {
  ClientActionResponse,
  GiftCardCodeParam,
  GiftCardResponse,
  GrantPointsRequest,
  IssueGiftCardRequest,
  MoneyTrailResponse,
  type OrderPaymentView,
  PayableOrderResponse,
  PaymentResponse,
  PayOrderRequest,
  PointsGrantResponse,
  PointsResponse,
  ReconciliationReportResponse,
  ReconciliationRequest,
  RefundOrderRequest,
  RefundResponse,
  SettlementSideResponse,
  TheirSettlementSideResponse,
} from '@mallard/contracts';
import { ACTOR_HEADER, BUYER_HEADER, ORDER_SNAPSHOT_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiIdempotencyKey, ApiProblems } from '../edge/api-problems.js';
import { relay } from '../upstream/relay.js';
import { Upstreams } from '../upstream/upstreams.js';

/**
 * Paying, gift cards and points for shoppers. The buyer is always the token's subject: a
 * shopper pays, and reads the points of, no one but themself (another's order is not found).
 */
@ApiTags('payments')
@ApiBearerAuth()
// Referenced only where they may be null (nullableObject), so not found through the answers' types.
@ApiExtraModels(ClientActionResponse)
@Controller('api/v1')
export class PaymentsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('orders/:id/payments')
  @Roles('shopper')
  @ApiOperation({
    summary: 'Pay an order',
    description:
      'Tenders must add up exactly to the order’s payable amount: gift cards (several), points (at the configured rate) and at most one provider ' +
      '(sandbox, stripe, alipay). Without a provider part the payment succeeds at once; with one it is PENDING and `clientAction` says how the ' +
      'shopper pays the provider. Same Idempotency-Key and body: the first answer. Same key, other body: 422. A closed or already paid order: 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order to pay' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: PaymentResponse, description: 'The payment (a retry with the same key gets the first answer again)' })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422, 502)
  async pay(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: PayOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    // Orders is the authority on an order: its copy goes with every payment, so payments refuses
    // an order orders has closed (409 order-closed) even before order.cancelled reaches it, and
    // can take a payment for an order whose order.placed it has not consumed yet. Another
    // shopper's order is orders' 404; orders out of reach is a 503, never a payment on stale facts.
    const order = await this.upstreams.call<OrderPaymentView>('orders', {
      path: `/internal/orders/${orderId}?view=payment`,
      headers: { [BUYER_HEADER]: user.id },
    });
    // Orders' problem goes to the caller as it is: typed as the success answer, like every relay.
    if (order.status !== 200) return relay<unknown>(reply, order) as PaymentResponse;
    const { id, buyerId, currency, placedAt, paymentDueAt, state } = order.body;
    const snapshot = JSON.stringify({
      orderId: id,
      buyerId,
      currency,
      payableMinor: order.body.amounts.payable,
      placedAt,
      paymentDueAt,
      state,
    });
    return this.upstreams.forward(reply, 'payments', {
      method: 'POST',
      path: `/internal/orders/${orderId}/payments`,
      headers: { [BUYER_HEADER]: user.id, 'idempotency-key': idempotencyKey, [ORDER_SNAPSHOT_HEADER]: snapshot },
      body: request,
    });
  }

  @Get('me/points')
  @Roles('shopper')
  @ApiOperation({ summary: 'My points: balance, the rate, and the ledger (newest first)' })
  @ApiOkResponse({ type: PointsResponse })
  @ApiProblems(401, 403)
  async points(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<PointsResponse> {
    return this.upstreams.forward(reply, 'payments', { path: '/internal/points', headers: { [BUYER_HEADER]: user.id } });
  }

  @Get('gift-cards/:code')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({ summary: 'A gift card’s balance and ledger, by its code', description: 'Whoever holds the code may read the card.' })
  @ApiOkResponse({ type: GiftCardResponse })
  @ApiProblems(401, 403, 404)
  async giftCard(@Param() { code }: GiftCardCodeParam, @Res({ passthrough: true }) reply: FastifyReply): Promise<GiftCardResponse> {
    return this.upstreams.forward(reply, 'payments', { path: `/internal/gift-cards/${encodeURIComponent(code)}` });
  }
}

/** Back-office money routes: issuing, granting, refunding, reconciling and the money trail. */
@ApiTags('back office')
@ApiBearerAuth()
@ApiExtraModels(ClientActionResponse, PayableOrderResponse, SettlementSideResponse, TheirSettlementSideResponse)
@Controller('api/v1/admin')
export class PaymentsAdminController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('gift-cards')
  @Roles('admin', 'customer-service')
  @ApiOperation({
    summary: 'Issue a gift card (code generated unless given)',
    description: 'A code issued before: 409 gift-card-exists. An expiry in the past: 422.',
  })
  @ApiCreatedResponse({ type: GiftCardResponse, description: 'The card, with its ISSUE ledger row' })
  @ApiProblems(401, 403, 409, 413, 415, 422)
  async issueGiftCard(
    @CurrentUser() user: AuthenticatedUser,
    @Body() request: IssueGiftCardRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GiftCardResponse> {
    return this.upstreams.forward(reply, 'payments', {
      method: 'POST',
      path: '/internal/gift-cards',
      headers: { [ACTOR_HEADER]: user.id },
      body: request,
    });
  }

  @Post('points/grants')
  @Roles('admin', 'customer-service')
  @ApiOperation({
    summary: 'Grant points to a shopper (a grantId makes a retry a no-op)',
    description: 'The same grantId and body: the first grant (200). The same grantId with another grant: 422.',
  })
  @ApiCreatedResponse({ type: PointsGrantResponse, description: 'The grant, made now' })
  @ApiOkResponse({ type: PointsGrantResponse, description: 'A repeat of the grantId: the first grant' })
  @ApiProblems(401, 403, 413, 415, 422)
  async grantPoints(
    @CurrentUser() user: AuthenticatedUser,
    @Body() request: GrantPointsRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PointsGrantResponse> {
    return this.upstreams.forward(reply, 'payments', {
      method: 'POST',
      path: '/internal/points/grants',
      headers: { [ACTOR_HEADER]: user.id },
      body: request,
    });
  }

  @Get('orders/:id/money-trail')
  @Roles('admin', 'customer-service')
  @ApiOperation({ summary: 'Payments, tenders, payment log, provider callbacks, refunds and ledger rows of an order' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiOkResponse({ type: MoneyTrailResponse })
  @ApiProblems(401, 403, 404)
  async moneyTrail(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MoneyTrailResponse> {
    return this.upstreams.forward(reply, 'payments', { path: `/internal/orders/${orderId}/money-trail` });
  }

  @Post('orders/:id/refunds')
  @Roles('admin', 'customer-service')
  @ApiOperation({
    summary: 'Refund (part of) an order along the original route',
    description:
      'Split over the tenders that paid (provider, then gift cards, then points by default), each at most what it paid. The same refundId refunds once.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order to refund' })
  @ApiCreatedResponse({ type: RefundResponse, description: 'The refund, made or started now' })
  @ApiOkResponse({ type: RefundResponse, description: 'A repeat of the refundId: that refund as it is now' })
  @ApiProblems(401, 403, 413, 415, 422)
  async refund(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Body() request: RefundOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundResponse> {
    return this.upstreams.forward(reply, 'payments', {
      method: 'POST',
      path: `/internal/orders/${orderId}/refunds`,
      headers: { [ACTOR_HEADER]: user.id },
      body: request,
    });
  }

  @Post('reconciliations')
  @Roles('admin')
  @ApiOperation({
    summary: 'Reconcile a provider’s settlement file for a day; the report is stored',
    description: 'CSV format: docs/payments.md',
  })
  @ApiCreatedResponse({ type: ReconciliationReportResponse, description: 'The stored report' })
  @ApiProblems(401, 403, 413, 415, 422)
  async reconcile(
    @CurrentUser() user: AuthenticatedUser,
    @Body() request: ReconciliationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReconciliationReportResponse> {
    return this.upstreams.forward(reply, 'payments', {
      method: 'POST',
      path: '/internal/reconciliations',
      headers: { [ACTOR_HEADER]: user.id },
      body: request,
    });
  }
}
