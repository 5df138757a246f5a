import {
  ParcelStateChangedV1,
  parcelStateChanged,
  ReplacementStockUnavailableV1,
  replacementStockUnavailable,
  SubOrderStateChangedV1,
  subOrderStateChanged,
} from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PurchasesService } from '../purchases/purchases.service.js';
import { ExchangesService } from './exchanges.service.js';

/** Inventory's and logistics' word on the replacements of exchanges, and on the order's parcels. */
@Controller()
export class ExchangesHandler {
  constructor(
    private readonly exchanges: ExchangesService,
    private readonly purchases: PurchasesService,
  ) {}

  /** One handler per event type: every parcel is kept with its order, and a replacement's that came back is restocked. */
  @OnEvent(parcelStateChanged)
  async parcelChanged(@Payload() change: ParcelStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    await this.purchases.parcelChanged(context.manager, change);
    await this.exchanges.parcelChanged(context.manager, change);
  }

  @OnEvent(replacementStockUnavailable)
  unavailable(@Payload() event: ReplacementStockUnavailableV1, @Ctx() context: EventContext): Promise<void> {
    return this.exchanges.unavailable(context.manager, event);
  }

  @OnEvent(subOrderStateChanged)
  subOrderChanged(@Payload() change: SubOrderStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.exchanges.subOrderChanged(context.manager, change);
  }
}
