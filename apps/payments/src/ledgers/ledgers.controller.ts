import { GIFT_CARD_CODE_PATTERN, GrantPointsRequest, IssueGiftCardRequest } from '@mallard/contracts';
import { ACTOR_HEADER, BUYER_HEADER, ProblemException, requireBuyer } from '@mallard/platform';
import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { withLockRetry } from '../common/lock-retry.js';
import { refuseUnstorableText } from '../common/text-checks.js';
import { PaymentsConfig } from '../config/payments-config.js';
import { GiftCard, GiftCardEntry, PointsAccount, PointsEntry } from './ledger.entities.js';
import { Ledgers, newGiftCardCode } from './ledgers.js';

const HISTORY = 200;

/** Gift cards and points: staff issue and grant; shoppers read balances and history. */
@Controller('internal')
export class LedgersController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledgers: Ledgers,
    private readonly config: PaymentsConfig,
  ) {}

  @Post('gift-cards')
  async issue(@Body() request: IssueGiftCardRequest, @Headers(ACTOR_HEADER) actor: string | undefined): Promise<unknown> {
    const expiresAt = request.expiresAt ? new Date(request.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw new ProblemException({
        status: 422,
        slug: 'gift-card-expiry-past',
        title: 'The expiry is in the past',
        detail: `${request.expiresAt} has passed`,
      });
    }
    const code = request.code ?? newGiftCardCode();
    const issued = await this.dataSource.transaction((manager) =>
      this.ledgers.issueGiftCard(manager, {
        code,
        currency: request.currency,
        amountMinor: request.amountMinor,
        expiresAt,
        issuedBy: actor ?? null,
      }),
    );
    if (!issued)
      throw new ProblemException({
        status: 409,
        slug: 'gift-card-exists',
        title: 'A gift card with this code exists',
        detail: `gift card ${code} was issued before`,
      });
    return this.card(code);
  }

  /** Anyone holding the code may read the card: the code is what spends it. */
  @Get('gift-cards/:code')
  async card(@Param('code') code: string): Promise<unknown> {
    const card = GIFT_CARD_CODE_PATTERN.test(code) ? await this.dataSource.getRepository(GiftCard).findOneBy({ code }) : null;
    if (!card)
      throw new ProblemException({
        status: 404,
        slug: 'gift-card-not-found',
        title: 'Gift card not found',
        detail: `no gift card ${code}`,
      });
    const entries = await this.dataSource.getRepository(GiftCardEntry).find({ where: { code }, order: { id: 'DESC' }, take: HISTORY });
    return {
      code: card.code,
      currency: card.currency,
      initialMinor: card.initialMinor,
      balanceMinor: card.balanceMinor,
      expiresAt: card.expiresAt,
      expired: card.expiresAt !== null && card.expiresAt <= new Date(),
      issuedAt: card.issuedAt,
      history: entries.map(({ kind, deltaMinor, balanceAfter, orderId, reason, at }) => ({
        kind,
        amountMinor: deltaMinor,
        balanceAfter,
        orderId,
        reason,
        at,
      })),
    };
  }

  /** 201 for a new grant, 200 for a repeat of the same grantId. */
  @Post('points/grants')
  async grant(@Body() request: GrantPointsRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    refuseUnstorableText({ ids: { buyerId: request.buyerId, grantId: request.grantId }, texts: { reason: request.reason } });
    const { entry, created } = await withLockRetry(() =>
      this.dataSource.transaction((manager) =>
        this.ledgers.grantPoints(manager, request.buyerId, request.points, request.reason, request.grantId ?? null),
      ),
    );
    void reply.status(created ? 201 : 200);
    return {
      buyerId: entry.buyerId,
      points: entry.deltaPoints,
      balanceAfter: entry.balanceAfter,
      grantId: entry.grantId,
      reason: entry.reason,
      at: entry.at,
    };
  }

  @Get('points')
  async points(@Headers(BUYER_HEADER) buyer: string | undefined): Promise<unknown> {
    const buyerId = requireBuyer(buyer);
    const [account, entries] = await Promise.all([
      this.dataSource.getRepository(PointsAccount).findOneBy({ buyerId }),
      this.dataSource.getRepository(PointsEntry).find({ where: { buyerId }, order: { id: 'DESC' }, take: HISTORY }),
    ]);
    return {
      buyerId,
      balance: account?.balance ?? 0,
      pointsPerCurrencyUnit: this.config.POINTS_PER_CURRENCY_UNIT,
      history: entries.map(({ kind, deltaPoints, balanceAfter, orderId, reason, at }) => ({
        kind,
        points: deltaPoints,
        balanceAfter,
        orderId,
        reason,
        at,
      })),
    };
  }
}
