import {
  AfterSalesRefundResponse,
  AfterSalesRequestListResponse,
  AfterSalesRequestResponse,
  CreateAfterSalesRequest,
  ReturnParcelResponse,
  ReturnShippingResponse,
  SubmitReturnParcelRequest,
} from '@mallard/contracts';
import { BUYER_HEADER, requireIdempotencyKey } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, ownerScope, Roles } from '../auth/index.js';
import { ApiIdempotencyKey, ApiProblem, ApiProblems } from '../edge/api-problems.js';
import { RawMultipartBody, type RequestWithRawBody, rawBodyOf } from '../edge/raw-body.js';
import { Upstreams } from '../upstream/upstreams.js';
import {
  AfterSalesIdParam,
  EVIDENCE_BODY_LIMIT,
  EVIDENCE_CONTENT_TYPES,
  EvidenceFileParams,
  EvidenceLinkQuery,
  MAX_EVIDENCE_FILES,
  OrderIdParam,
} from './after-sales.requests.js';

/** A file may be shown again from the browser's cache for this long, never from a shared one (it is the shopper's). */
const EVIDENCE_CACHE_CONTROL = 'private, max-age=60';

/**
 * A shopper's after-sales requests (docs/domain.md §8): asking for a refund, a return or an
 * exchange of delivered units, adding evidence, sending the goods back; customer service reads
 * them too. Forwarded to after-sales, which answers a shopper only about their own orders
 * (another's is 404) and whose answer, a refusal included, is relayed as it is.
 */
@ApiTags('after-sales')
@ApiBearerAuth()
// Referenced only where they may be null (nullableObject), so not found through the answers' types.
@ApiExtraModels(ReturnShippingResponse, ReturnParcelResponse, AfterSalesRefundResponse)
@Controller('api/v1')
export class AfterSalesController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('orders/:id/after-sales')
  @Roles('shopper')
  @ApiOperation({
    summary: 'Ask for a refund, a return and refund, or an exchange of delivered units',
    description:
      'Names units of lines in the sub-orders that delivered them, within the after-sales window after delivery. The answer gives the customer-service contact and who pays the return shipping. Same Idempotency-Key and body: the same request (200). Same key, other body: 422 `idempotency-key-reused`. Units already asked back, outside the window or not delivered: 422.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: AfterSalesRequestResponse, description: 'The request, made now' })
  @ApiOkResponse({ type: AfterSalesRequestResponse, description: 'A retry: the request this Idempotency-Key made, as it is now' })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id: orderId }: OrderIdParam,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: CreateAfterSalesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    const key = requireIdempotencyKey(idempotencyKey);
    return this.upstreams.forward(reply, 'after-sales', {
      method: 'POST',
      path: `/internal/orders/${orderId}/after-sales`,
      headers: { [BUYER_HEADER]: user.id, 'idempotency-key': key },
      body,
    });
  }

  @Get('orders/:id/after-sales')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({
    summary: 'The after-sales requests of an order, oldest first',
    description: 'Staff read any order’s; a shopper only their own (another’s order is 404).',
  })
  @ApiOkResponse({ type: AfterSalesRequestListResponse })
  @ApiProblems(401, 403, 404)
  listOfOrder(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id: orderId }: OrderIdParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestListResponse> {
    return this.upstreams.forward(reply, 'after-sales', { path: `/internal/orders/${orderId}/after-sales`, headers: ownerScope(user) });
  }

  @Get('after-sales/:id')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({
    summary: 'One after-sales request: its lines, state and every step, evidence, return parcel and refund',
    description:
      'Staff read any request; a shopper only their own (another’s is 404). Evidence links work for a few minutes: read the request again for fresh ones.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse })
  @ApiProblems(401, 403, 404)
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.upstreams.forward(reply, 'after-sales', { path: `/internal/after-sales/${id}`, headers: ownerScope(user) });
  }

  @Post('after-sales/:id/evidence')
  @HttpCode(200)
  @Roles('shopper')
  @RawMultipartBody(EVIDENCE_BODY_LIMIT)
  @ApiOperation({
    summary: 'Add photos or videos to a request',
    description:
      `Up to ${MAX_EVIDENCE_FILES} files per upload (JPEG, PNG, WebP or MP4, at most 10 MiB each) as the file parts of a multipart/form-data body, under any field name. ` +
      'While customer service waits for evidence the request goes back to its queue. The gateway hands the body to after-sales as it is; after-sales reads the parts and refuses a file whose content is not one of those (415 `evidence-type-unsupported`), one over `EVIDENCE_MAX_FILE_BYTES` (413 `evidence-too-large`), more than nine files in all (422 `evidence-limit-reached`) and an upload with no file (400); nothing of a refused upload is kept. ' +
      'A request that takes no more evidence: 409. A body over 91 MiB: 413; not multipart/form-data: 415.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    required: true,
    schema: {
      type: 'object',
      required: ['files'],
      properties: {
        files: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_EVIDENCE_FILES,
          items: { type: 'string', format: 'binary' },
          description: `The photos and videos (${EVIDENCE_CONTENT_TYPES.join(', ')}); each part carries its file name and content type`,
        },
      },
    },
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse, description: 'The request with its evidence' })
  @ApiProblems(401, 403, 404, 409, 413, 422)
  @ApiProblem(415, 'The body is not multipart/form-data')
  async addEvidence(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Req() request: RequestWithRawBody & { headers: Record<string, string | string[] | undefined> },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = rawBodyOf(request);
    // The boundary in the content type is what separates the parts: it travels with the bytes.
    const contentType = String(request.headers['content-type']);
    await this.upstreams.forwardRaw(reply, 'after-sales', {
      method: 'POST',
      path: `/internal/after-sales/${id}/evidence`,
      headers: { [BUYER_HEADER]: user.id, 'content-type': contentType },
      body,
    });
  }

  @Get('after-sales/:id/evidence/:fileId')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({
    summary: 'An evidence file, through the signed link a request gave (`evidence[].url`)',
    description:
      'Answers the file’s bytes with its content type. The link works for a few minutes: an expired or altered one is refused (403 `evidence-link-invalid`, also for a link made for another viewer), an unknown file is 404; read the request again for a fresh one. A shopper only gets their own requests’ files.',
  })
  @ApiProduces(...EVIDENCE_CONTENT_TYPES)
  @ApiOkResponse({
    description: 'The file, as it was uploaded',
    headers: {
      'Cache-Control': {
        description: 'Kept by the browser for a minute, by no shared cache',
        schema: { type: 'string', example: EVIDENCE_CACHE_CONTROL },
      },
    },
    content: Object.fromEntries(EVIDENCE_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  })
  @ApiProblems(401, 403, 404)
  async evidenceFile(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id, fileId }: EvidenceFileParams,
    @Query() { expires, signature }: EvidenceLinkQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const link = new URLSearchParams({ expires, signature });
    await this.upstreams.forwardRaw(
      reply,
      'after-sales',
      { path: `/internal/after-sales/${id}/evidence/${fileId}?${link}`, headers: ownerScope(user) },
      // The bytes are the shopper's uploads: never sniffed into something the browser would run.
      { 'cache-control': EVIDENCE_CACHE_CONTROL, 'x-content-type-options': 'nosniff' },
    );
  }

  @Post('after-sales/:id/return-parcel')
  @HttpCode(200)
  @Roles('shopper')
  @ApiOperation({
    summary: 'Tell the mall the goods are on their way back: carrier and tracking number',
    description: 'Only for an approved return or exchange, else 409.',
  })
  @ApiOkResponse({ type: AfterSalesRequestResponse, description: 'The request, RETURN_SHIPPED' })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  submitReturnParcel(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: AfterSalesIdParam,
    @Body() body: SubmitReturnParcelRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestResponse> {
    return this.upstreams.forward(reply, 'after-sales', {
      method: 'POST',
      path: `/internal/after-sales/${id}/return-parcel`,
      headers: { [BUYER_HEADER]: user.id },
      body,
    });
  }
}
