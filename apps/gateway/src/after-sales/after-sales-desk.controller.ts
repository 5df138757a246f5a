import {
  AfterSalesQueuePageResponse,
  AfterSalesQueueQuery,
  AfterSalesRefundResponse,
  AfterSalesRequestResponse,
  ApproveAfterSalesRequest,
  DecideAfterSalesRequest,
  ReturnParcelResponse,
  ReturnShippingResponse,
} from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { Upstreams } from '../upstream/upstreams.js';
import { AfterSalesIdParam } from './after-sales.requests.js';

/**
 * Customer service's desk: the queue of after-sales requests and the decisions on them, each
 * recorded with the staff member who took it (the token's subject). Forwarded to after-sales,
 * whose answer, a refusal included, is relayed as it is.
 */
@ApiTags('after-sales')
@ApiBearerAuth()
// Referenced only where they may be null (nullableObject), so not found through the answers' types.
@ApiExtraModels(ReturnShippingResponse, ReturnParcelResponse, AfterSalesRefundResponse)
@Controller('api/v1/admin/after-sales')
export class AfterSalesDeskController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'The queue of after-sales requests, by state, type, merchant and age',
    description: 'Without `state`, the requests waiting for a decision.',
  })
  @ApiOkResponse({ type: AfterSalesQueuePageResponse })
  @ApiProblems(401, 403)
  queue(@Query() query: AfterSalesQueueQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<AfterSalesQueuePageResponse> {
    const present = Object.entries(query).filter(([, value]) => value !== undefined);
    const search = new URLSearchParams(present.map(([name, value]): [string, string] => [name, String(value)]));
    return this.upstreams.forward(reply, 'after-sales', { path: `/internal/admin/after-sales?${search}` });
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Approve a request',
    description:
      'A refund only goes on to its refund (REFUNDED once payments has given the money back); a return or exchange waits for its parcel (APPROVED). A request not waiting for a decision: 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  approve(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: ApproveAfterSalesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.decide(reply, user, id, 'approve', body);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Reject a request, with the reason the shopper is shown',
    description: 'A request not waiting for a decision: 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse, description: 'The request, REJECTED' })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  reject(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: DecideAfterSalesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.decide(reply, user, id, 'reject', body);
  }

  @Post(':id/request-evidence')
  @HttpCode(200)
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Ask the shopper for more evidence, saying what is missing',
    description: 'The request waits for the shopper’s files (AWAITING_EVIDENCE); a request not waiting for a decision: 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse, description: 'The request, AWAITING_EVIDENCE' })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  requestEvidence(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: DecideAfterSalesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.decide(reply, user, id, 'request-evidence', body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Close a request that cannot go on, with the reason the shopper is shown',
    description:
      'For an approved request that cannot be finished: a refund that cannot be calculated or that payments refused (REFUNDING with `refund.failure`; it is then not counted as paid), a replacement that cannot be shipped. Nothing is refunded by closing. A request waiting for a decision (reject it) or one that has ended: 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse, description: 'The request, CLOSED' })
  @ApiProblems(401, 403, 404, 409, 413, 415)
  close(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: DecideAfterSalesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.decide(reply, user, id, 'close', body);
  }

  private decide(
    reply: FastifyReply,
    user: AuthenticatedUser,
    id: string,
    decision: 'approve' | 'reject' | 'request-evidence' | 'close',
    body: unknown,
  ): Promise<AfterSalesRequestResponse> {
    return this.upstreams.forward(reply, 'after-sales', {
      method: 'POST',
      path: `/internal/admin/after-sales/${id}/${decision}`,
      headers: { [ACTOR_HEADER]: user.id },
      body,
    });
  }
}
