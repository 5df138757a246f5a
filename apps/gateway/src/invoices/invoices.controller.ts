import {
  CreditNoteLineResponse,
  InvoiceLineResponse,
  InvoiceListResponse,
  InvoiceNumberParam,
  InvoiceResponse,
  IssuedInvoicesResponse,
  ReissueInvoiceRequest,
} from '@mallard/contracts';
import { ACTOR_HEADER, BUYER_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, ownerScope, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { Upstreams } from '../upstream/upstreams.js';

const PDF = 'application/pdf';

/** Whether the caller asked for the PDF: `Accept` naming application/pdf before (or without) JSON. */
function wantsPdf(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const pdf = types.indexOf(PDF);
  const json = types.indexOf('application/json');
  return pdf >= 0 && (json < 0 || pdf < json);
}

/**
 * Invoices and credit notes (docs/domain.md §2): issued by orders, read by their shopper and by
 * customer service, issued or reissued by staff. A shopper only sees their own (another's is 404).
 */
@ApiTags('invoices')
@ApiBearerAuth()
@ApiExtraModels(InvoiceLineResponse, CreditNoteLineResponse)
@Controller('api/v1')
export class InvoicesController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('orders/:id/invoices')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({
    summary: 'An order’s invoices and credit notes, with their lines, oldest first',
    description: 'One invoice per sub-order; a credit note for every refund after it, in the same number sequence.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiOkResponse({ type: InvoiceListResponse })
  @ApiProblems(401, 403, 404)
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceListResponse> {
    return this.upstreams.forward<InvoiceListResponse>(reply, 'orders', {
      path: `/internal/orders/${orderId}/invoices`,
      headers: ownerScope(user),
    });
  }

  @Post('orders/:id/invoices')
  @Roles('shopper')
  @ApiOperation({
    summary: 'Ask for the invoices of a paid order',
    description:
      'Each sub-order gets its invoice now (otherwise it is issued when its goods are delivered), made out to the order’s billing details, which then no longer change; one stopped before anything left is not invoiced. 201 when some were issued, 200 when all had been. 409 invoice-not-issuable (with `reason`) for an order not paid, not split yet, cancelled or failed, or without billing details.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiCreatedResponse({ type: IssuedInvoicesResponse, description: 'Some invoices were issued now' })
  @ApiOkResponse({ type: IssuedInvoicesResponse, description: 'Every invoice had been issued before' })
  @ApiProblems(401, 403, 404, 409)
  request(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedInvoicesResponse> {
    return this.upstreams.forward<IssuedInvoicesResponse>(reply, 'orders', {
      method: 'POST',
      path: `/internal/orders/${orderId}/invoices`,
      headers: { [BUYER_HEADER]: user.id },
    });
  }

  @Get('invoices/:number')
  @Roles('shopper', 'customer-service', 'admin')
  @ApiOperation({
    summary: 'One invoice or credit note, as JSON or PDF',
    description:
      'JSON by default; `Accept: application/pdf` answers the document rendered to PDF, the same bytes every time. A shopper only gets their own.',
  })
  @ApiHeader({ name: 'Accept', required: false, description: `${PDF} for the PDF, otherwise JSON` })
  @ApiProduces('application/json', PDF)
  @ApiOkResponse({
    description: 'The document',
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/InvoiceResponse' } },
      [PDF]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems(401, 403, 404)
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { number }: InvoiceNumberParam,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceResponse | undefined> {
    const path = `/internal/invoices/${encodeURIComponent(number)}`;
    // A billed party's tax id and address of record: kept by no shared cache.
    void reply.header('cache-control', 'private, no-store');
    if (!wantsPdf(accept)) return this.upstreams.forward<InvoiceResponse>(reply, 'orders', { path, headers: ownerScope(user) });
    await this.upstreams.forwardRaw(
      reply,
      'orders',
      { path: `${path}/pdf`, headers: ownerScope(user) },
      { 'cache-control': 'private, no-store' },
    );
    return undefined;
  }

  @Post('admin/orders/:id/invoices')
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Issue an order’s invoices now (staff)',
    description:
      'As the shopper’s request, on their behalf: every sub-order not stopped whole and not invoiced gets its invoice. 201 when some were issued, 200 when all had been.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiCreatedResponse({ type: IssuedInvoicesResponse, description: 'Some invoices were issued now' })
  @ApiOkResponse({ type: IssuedInvoicesResponse, description: 'Every invoice had been issued before' })
  @ApiProblems(401, 403, 404, 409)
  issue(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedInvoicesResponse> {
    return this.upstreams.forward<IssuedInvoicesResponse>(reply, 'orders', {
      method: 'POST',
      path: `/internal/admin/orders/${orderId}/invoices`,
      headers: { [ACTOR_HEADER]: user.id },
    });
  }

  @Post('admin/invoices/:number/reissue')
  @Roles('customer-service', 'admin')
  @ApiOperation({
    summary: 'Reissue an invoice (staff)',
    description:
      'A credit note takes the invoice back whole and a new invoice with the same figures replaces it, made out to the billing details as they are now, or to `billing` when given (which replace the order’s). Refunds after it are credited on the new invoice. 409 invoice-not-reissuable for a credit note or an invoice already replaced.',
  })
  @ApiCreatedResponse({
    type: IssuedInvoicesResponse,
    description: 'The new invoice and the credit note (`issued`), and all the order’s documents',
  })
  @ApiProblems(401, 403, 404, 409, 413, 415, 422)
  reissue(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { number }: InvoiceNumberParam,
    @Body() body: ReissueInvoiceRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedInvoicesResponse> {
    return this.upstreams.forward<IssuedInvoicesResponse>(reply, 'orders', {
      method: 'POST',
      path: `/internal/admin/invoices/${encodeURIComponent(number)}/reissue`,
      headers: { [ACTOR_HEADER]: user.id },
      body,
    });
  }
}
