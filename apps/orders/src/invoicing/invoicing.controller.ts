import type { InvoiceListResponse, InvoiceResponse, IssuedInvoicesResponse } from '@mallard/contracts';
import { ReissueInvoiceRequest } from '@mallard/contracts';
import { ACTOR_HEADER, BUYER_HEADER, requireBuyer } from '@mallard/platform';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toInvoiceSummary, toInvoiceView, toIssuedDocument } from './invoice.view.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { InvoicingService } from './invoicing.service.js';

/**
 * Invoices and credit notes; the gateway exposes them under /api/v1/orders/{id}/invoices and
 * /api/v1/invoices/{number} for the owner and customer service (without a buyer header: staff),
 * and staff's issue and reissue under /api/v1/admin.
 */
@Controller('internal')
export class InvoicingController {
  constructor(private readonly invoicing: InvoicingService) {}

  @Get('orders/:id/invoices')
  async list(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
  ): Promise<InvoiceListResponse> {
    return { documents: (await this.invoicing.list(orderId, buyerId ?? null)).map(toInvoiceView) };
  }

  /** The owner asks for the invoices: 201 when some were issued now, 200 when all had been. */
  @Post('orders/:id/invoices')
  async request(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedInvoicesResponse> {
    const { issued, documents } = await this.invoicing.request(orderId, requireBuyer(buyerId), 'shopper');
    void reply.status(issued.length > 0 ? 201 : 200);
    return { issued: issued.map(toInvoiceSummary), documents: documents.map(toInvoiceSummary) };
  }

  @Post('admin/orders/:id/invoices')
  async issue(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedInvoicesResponse> {
    const { issued, documents } = await this.invoicing.request(orderId, null, actor ?? 'staff');
    void reply.status(issued.length > 0 ? 201 : 200);
    return { issued: issued.map(toInvoiceSummary), documents: documents.map(toInvoiceSummary) };
  }

  @Post('admin/invoices/:number/reissue')
  async reissue(
    @Param('number') number: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() request: ReissueInvoiceRequest,
  ): Promise<IssuedInvoicesResponse> {
    const { issued, documents } = await this.invoicing.reissue(number, actor ?? 'staff', request.billing);
    return { issued: issued.map(toInvoiceSummary), documents: documents.map(toInvoiceSummary) };
  }

  @Get('invoices/:number')
  async get(@Param('number') number: string, @Headers(BUYER_HEADER) buyerId: string | undefined): Promise<InvoiceResponse> {
    return toInvoiceView(await this.invoicing.find(number, buyerId ?? null));
  }

  /** The document as PDF: rendered from what was issued, so the same number always gives the same bytes. */
  @Get('invoices/:number/pdf')
  async pdf(
    @Param('number') number: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const record = await this.invoicing.find(number, buyerId ?? null);
    const pdf = await renderInvoicePdf(toIssuedDocument(record));
    void reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`);
    return pdf;
  }
}
