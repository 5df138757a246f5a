import { CreateAfterSalesRequest } from '@mallard/contracts';
import { BUYER_HEADER, httpProblems, IDEMPOTENCY_KEY_HEADER, requireBuyer, statusProblem } from '@mallard/platform';
import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EvidenceUpload } from '../evidence/evidence-uploads.js';
import type { AfterSalesRequestView } from '../requests/request.view.js';
import { IntakeService } from './intake.service.js';

/** A shopper's new request; the gateway exposes it as POST /api/v1/orders/{id}/after-sales. */
@Controller('internal')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  /** 201 with the new request; 200 with it as it is now for a retry with the same key and body. */
  @Post('orders/:orderId/after-sales')
  async create(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Body() body: CreateAfterSalesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesRequestView> {
    const { view, created } = await this.intake.create(orderId, requireBuyer(buyerId), key, body);
    void reply.status(created ? 201 : 200);
    return view;
  }

  /** multipart/form-data, files under any field name (the gateway's POST /api/v1/after-sales/{id}/evidence). */
  @Post('after-sales/:id/evidence')
  @HttpCode(200)
  async addEvidence(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<AfterSalesRequestView> {
    const buyer = requireBuyer(buyerId);
    return this.intake.addEvidence(id, buyer, await readUploads(request));
  }
}

/**
 * The files of a multipart body. Limits are the plugin's (service.ts): a part over
 * EVIDENCE_MAX_FILE_BYTES arrives truncated and is refused as too large. Whatever the plugin or
 * the parser underneath throws here is about the client's body (a text field where only files are
 * taken, a body cut short or without its boundary), so it is the client's 4xx, never our 500.
 */
async function readUploads(request: FastifyRequest): Promise<EvidenceUpload[]> {
  const uploads: EvidenceUpload[] = [];
  try {
    for await (const part of request.files()) {
      uploads.push({ filename: part.filename, bytes: await part.toBuffer(), truncated: part.file.truncated });
    }
  } catch (error) {
    const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: string };
    if (code === 'FST_FIELDS_LIMIT') throw httpProblems.badRequest({ detail: 'an evidence upload takes files only, no text fields' });
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) throw statusProblem(statusCode, message);
    throw httpProblems.badRequest({ detail: `the multipart body is malformed: ${message}` });
  }
  return uploads;
}
