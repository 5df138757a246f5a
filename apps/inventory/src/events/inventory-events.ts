import { type DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { Topics, type CloudEvent, type EventDefinition } from '@mallard/contracts';
import { EventPublisher, type EventToPublish } from '@mallard/messaging';
import type { EntityManager } from 'typeorm';

/** The topics one inventory instance reads and writes; the contract topics unless a test isolates itself. */
export interface InventoryTopics {
  orders: string;
  payments: string;
  inventory: string;
}

export const CONTRACT_TOPICS: InventoryTopics = { orders: Topics.orders, payments: Topics.payments, inventory: Topics.inventory };

export const INVENTORY_TOPICS = Symbol('INVENTORY_TOPICS');

/**
 * Publishes inventory's events through the outbox, inside the caller's transaction. The topic is
 * the instance's inventory topic (the contract's in production), so an integration test can run
 * the real service on private topics without answering other test runs' orders.
 */
@Injectable()
export class InventoryEvents {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(INVENTORY_TOPICS) private readonly topics: InventoryTopics,
  ) {}

  publish<TPayload extends object>(
    manager: EntityManager,
    definition: EventDefinition<TPayload>,
    ...events: EventToPublish<TPayload>[]
  ): Promise<CloudEvent<TPayload>[]> {
    const target = definition.topic === this.topics.inventory ? definition : { ...definition, topic: this.topics.inventory };
    return this.publisher.publish(manager, target, ...events);
  }
}

@Module({})
export class InventoryEventsModule {
  static forRoot(topics: InventoryTopics): DynamicModule {
    return {
      module: InventoryEventsModule,
      global: true,
      providers: [{ provide: INVENTORY_TOPICS, useValue: topics }, InventoryEvents],
      exports: [INVENTORY_TOPICS, InventoryEvents],
    };
  }
}
