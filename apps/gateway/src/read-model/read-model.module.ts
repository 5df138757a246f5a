import { Module } from '@nestjs/common';
import { CompletionSweepWorker } from './completion-sweep.worker.js';
import { ReadModelHandler } from './read-model.handler.js';
import { ReadModelQueries } from './read-model.queries.js';
import { ReadModelService } from './read-model.service.js';
import { StatusChanges } from './status-changes.js';

/** The gateway's own read model of orders, fed by events, and the shopper's status rolled up from it. */
@Module({
  controllers: [ReadModelHandler],
  providers: [ReadModelService, ReadModelQueries, StatusChanges, CompletionSweepWorker],
  exports: [ReadModelQueries, StatusChanges],
})
export class ReadModelModule {}
