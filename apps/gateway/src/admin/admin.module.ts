import { type DeadLetterBroker, DeadLetterDesk, MESSAGE_BROKER } from '@mallard/messaging';
import { Module } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { AdminController } from './admin.controller.js';
import { DeadLettersController } from './dead-letters.controller.js';

@Module({
  controllers: [AdminController, DeadLettersController],
  providers: [
    // The gateway's own broker connection (KafkaJsBroker, which reads topics as the desk needs).
    {
      provide: DeadLetterDesk,
      inject: [MESSAGE_BROKER, GatewayConfig],
      useFactory: (broker: DeadLetterBroker, config: GatewayConfig) =>
        new DeadLetterDesk(broker, { inboxRetentionDays: config.CONSUMER_INBOX_RETENTION_DAYS ?? config.INBOX_RETENTION_DAYS }),
    },
  ],
})
export class AdminModule {}
