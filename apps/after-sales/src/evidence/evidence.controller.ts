import { BUYER_HEADER, ROLES_HEADER } from '@mallard/platform';
import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { viewerOf } from '../requests/requests.queries.js';
import { EvidenceService } from './evidence.service.js';
import type { EvidenceLinkQuery, EvidenceViewer } from './evidence-url.js';

/**
 * A file behind a signed link (the gateway's GET /api/v1/after-sales/{id}/evidence/{fileId}): served
 * only to the viewer the link was signed for, the request's shopper (buyer header) or customer
 * service (its role), while it lasts.
 */
@Controller('internal/after-sales')
export class EvidenceController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: EvidenceService,
  ) {}

  @Get(':id/evidence/:fileId')
  async open(
    @Param('id', new ParseUUIDPipe()) requestId: string,
    @Param('fileId', new ParseUUIDPipe()) fileId: string,
    @Query() query: EvidenceLinkQuery,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers(ROLES_HEADER) roles: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const viewer: EvidenceViewer = viewerOf(buyerId, roles, requestId);
    const file = await this.evidence.open(this.dataSource, requestId, fileId, query, viewer);
    void reply.header('content-type', file.contentType).header('cache-control', 'private, max-age=60');
    return file.bytes;
  }
}
