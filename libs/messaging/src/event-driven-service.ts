import { PlatformModule, type ServiceConfig, type ServiceDefinition, type ServiceRuntime } from '@mallard/platform';
import type { DynamicModule, ModuleMetadata, Type } from '@nestjs/common';
import type { MixedList } from 'typeorm';
import { InboxMessage } from './inbox/inbox-message.entity.js';
import { connectEventConsumer, MessagingModule, type MessagingSetup } from './messaging.module.js';
import { MessagingTables1764060000000 } from './messaging-tables.migration.js';
import { OutboxMessage } from './outbox/outbox-message.entity.js';

export interface EventDrivenServiceSpec<C extends ServiceConfig> extends MessagingSetup {
  name: string;
  /** The app's root module class; its features come through `imports`. */
  module: Type<unknown>;
  config?: new () => C;
  // biome-ignore lint/complexity/noBannedTypes: TypeORM types entity classes as Function
  entities?: Function[];
  // biome-ignore lint/complexity/noBannedTypes: TypeORM types entity classes as Function
  migrations?: MixedList<Function>;
  imports?: (config: C, runtime: ServiceRuntime) => ModuleMetadata['imports'];
  rawBody?: boolean;
  beforeListen?: ServiceDefinition<C>['beforeListen'];
}

/**
 * A Mallard service: its database with the outbox and inbox tables, its Kafka consumer and
 * relay, health and metrics, and the feature modules it brings.
 */
export function defineEventDrivenService<C extends ServiceConfig = ServiceConfig>(spec: EventDrivenServiceSpec<C>): ServiceDefinition<C> {
  return {
    name: spec.name,
    config: spec.config,
    rawBody: spec.rawBody,
    module: (config: C, runtime: ServiceRuntime): DynamicModule => ({
      module: spec.module,
      imports: [
        PlatformModule.forService(config, {
          metrics: runtime.metrics,
          entities: [OutboxMessage, InboxMessage, ...(spec.entities ?? [])],
          // biome-ignore lint/complexity/noBannedTypes: TypeORM types migration classes as Function
          migrations: [MessagingTables1764060000000, ...((spec.migrations as unknown[]) ?? [])] as MixedList<Function>,
        }),
        MessagingModule.forService(config, runtime, spec.name, spec),
        ...(spec.imports?.(config, runtime) ?? []),
      ],
    }),
    beforeListen: async (app, config, runtime) => {
      if ((spec.consumes ?? []).length > 0) connectEventConsumer(app, runtime);
      await spec.beforeListen?.(app, config, runtime);
    },
  };
}
