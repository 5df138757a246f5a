import { Module } from '@nestjs/common';
import { RefundsModule } from '../refunds/refunds.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { DeskController } from './desk.controller.js';
import { DeskService } from './desk.service.js';

/** Customer service's queue and decisions, and the rules that decide for them. */
@Module({ imports: [RequestsModule, RefundsModule], controllers: [DeskController], providers: [DeskService], exports: [DeskService] })
export class DeskModule {}
