import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module.js';
import { StatusStreamController } from './status-stream.controller.js';
import { StatusStreamService } from './status-stream.service.js';
import { StatusStreamPollWorker } from './status-stream-poll.worker.js';

/** Live status streams of orders (server-sent events), fed by the read model's committed changes. */
@Module({
  imports: [ReadModelModule],
  controllers: [StatusStreamController],
  providers: [StatusStreamService, StatusStreamPollWorker],
})
export class StatusStreamModule {}
