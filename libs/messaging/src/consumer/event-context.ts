import type { CloudEvent } from '@mallard/contracts';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

/**
 * What an @EventPattern handler gets with @Ctx(): the envelope, and the transaction its effect
 * must be written in (the same one that records the event in the inbox and any events it
 * publishes in the outbox).
 */
export class EventContext extends BaseRpcContext<[CloudEvent, EntityManager]> {
  get event(): CloudEvent {
    return this.args[0];
  }

  get manager(): EntityManager {
    return this.args[1];
  }
}
