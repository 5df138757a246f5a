import { Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { hasControlCharacters, isCalendarDate } from '../../common/text-checks.js';
import { PaymentsConfig } from '../../config/payments-config.js';
import { reconciliationProblems } from '../../reconciliation/reconciliation.problems.js';
import { toCsv } from '../../reconciliation/settlement-csv.js';
import { SandboxProvider } from './sandbox.provider.js';

/**
 * The sandbox provider's own console: see a charge, make the shopper pay or fail it (the
 * webhook goes out to the gateway as from a real provider), and download a day's settlement
 * file. Exists only while SANDBOX_ENABLED.
 */
@Controller('internal/sandbox')
export class SandboxController {
  constructor(
    private readonly sandbox: SandboxProvider,
    private readonly config: PaymentsConfig,
  ) {}

  @Get('charges/:intentId')
  async charge(@Param('intentId') intentId: string): Promise<unknown> {
    this.enabled();
    if (hasControlCharacters(intentId)) throw new NotFoundException(`no sandbox charge ${JSON.stringify(intentId)}`);
    const charge = await this.sandbox.charge(intentId);
    if (!charge) throw new NotFoundException(`no sandbox charge ${intentId}`);
    return this.sandbox.webhookOf(charge);
  }

  @Post('charges/:intentId/succeed')
  @HttpCode(200)
  succeed(@Param('intentId') intentId: string): Promise<unknown> {
    return this.settle(intentId, true);
  }

  @Post('charges/:intentId/fail')
  @HttpCode(200)
  fail(@Param('intentId') intentId: string): Promise<unknown> {
    return this.settle(intentId, false);
  }

  @Get('settlements/:date')
  async settlement(@Param('date') date: string, @Res() reply: FastifyReply): Promise<void> {
    this.enabled();
    if (!isCalendarDate(date)) throw reconciliationProblems.badSettlementDate(date);
    await reply.header('content-type', 'text/csv; charset=utf-8').send(toCsv(await this.sandbox.settlement(date)));
  }

  private async settle(intentId: string, succeed: boolean): Promise<unknown> {
    this.enabled();
    if (hasControlCharacters(intentId)) throw new NotFoundException(`no sandbox charge ${JSON.stringify(intentId)}`);
    const result = await this.sandbox.settle(intentId, succeed);
    if (!result) throw new NotFoundException(`no sandbox charge ${intentId}`);
    return { status: result.charge.status, webhook: result.webhook, deliveredStatus: result.delivered };
  }

  private enabled(): void {
    if (!this.config.sandboxEnabled) throw new NotFoundException('the sandbox provider is disabled');
  }
}
