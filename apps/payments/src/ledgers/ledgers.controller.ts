import { GrantPointsRequest, IssueGiftCardRequest } from '@mallard/contracts';
import { ACTOR_HEADER, BUYER_HEADER, requireBuyer } from '@mallard/platform';
import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { refuseUnstorableText } from '../common/text-checks.js';
import { Ledgers } from './ledgers.service.js';
import type { GiftCardView, PointsGrantView, PointsView } from './ledgers.view.js';

/** Gift cards and points: staff issue and grant; shoppers read balances and history. */
@Controller('internal')
export class LedgersController {
  constructor(private readonly ledgers: Ledgers) {}

  @Post('gift-cards')
  issue(@Body() request: IssueGiftCardRequest, @Headers(ACTOR_HEADER) actor: string | undefined): Promise<GiftCardView> {
    return this.ledgers.issue(request, actor ?? null);
  }

  /** Anyone holding the code may read the card: the code is what spends it. */
  @Get('gift-cards/:code')
  card(@Param('code') code: string): Promise<GiftCardView> {
    return this.ledgers.giftCard(code);
  }

  /** 201 for a new grant, 200 for a repeat of the same grantId. */
  @Post('points/grants')
  async grant(@Body() request: GrantPointsRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PointsGrantView> {
    refuseUnstorableText({ ids: { buyerId: request.buyerId, grantId: request.grantId }, texts: { reason: request.reason } });
    const { view, created } = await this.ledgers.grant(request);
    void reply.status(created ? 201 : 200);
    return view;
  }

  @Get('points')
  points(@Headers(BUYER_HEADER) buyer: string | undefined): Promise<PointsView> {
    return this.ledgers.points(requireBuyer(buyer));
  }
}
