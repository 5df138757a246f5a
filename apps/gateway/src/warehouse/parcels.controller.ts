import { LogisticsIdParam, ParcelResponse } from '@mallard/contracts';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { Upstreams } from '../upstream/upstreams.js';
import { scopeOf } from './warehouse-scope.js';

/** A parcel as logistics keeps it, for customer service and the warehouse. */
@ApiTags('warehouse')
@ApiBearerAuth()
@Controller('api/v1/parcels')
export class ParcelsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get(':id')
  @Roles('warehouse', 'customer-service', 'admin')
  @ApiOperation({ summary: 'One parcel: what it holds, its carrier and tracking number, and its state' })
  @ApiOkResponse({ type: ParcelResponse })
  @ApiProblems(401, 403, 404)
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: LogisticsIdParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ParcelResponse> {
    return this.upstreams.forward(reply, 'logistics', { path: `/internal/parcels/${id}`, headers: scopeOf(user) });
  }
}
