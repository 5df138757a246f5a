import { ReconciliationRequest } from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ReconciliationService } from './reconciliation.service.js';

@Controller('internal/reconciliations')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /** Runs a reconciliation of one provider's settlement file and stores the report (201). */
  @Post()
  run(@Body() request: ReconciliationRequest, @Headers(ACTOR_HEADER) actor: string | undefined): Promise<unknown> {
    return this.reconciliation.run({ ...request, createdBy: actor ?? null });
  }

  @Get()
  list(@Query('provider') provider?: string, @Query('date') date?: string): Promise<unknown> {
    return this.reconciliation.list(provider, date);
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<unknown> {
    const report = await this.reconciliation.find(id);
    if (!report) throw new NotFoundException(`no reconciliation report ${id}`);
    return report;
  }
}
