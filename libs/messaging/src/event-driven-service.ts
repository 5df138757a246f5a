import {
  IdempotentRequests1764060000100,
  PlatformModule,
  type ServiceConfig,
  type ServiceDefinition,
  type ServiceRuntime,
} from '@mallard/platform';
import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import type { MixedList } from 'typeorm';
import { InboxMessage } from './inbox/inbox-message.entity.js';
import { connectEventConsumer, MessagingModule, type MessagingSetup } from './messaging.module.js';
import { MessagingTables1764060000000 } from './messaging-tables.migration.js';
import type { StuckWorkKind } from './metrics/stuck-work.js';
import { OutboxMessage } from './outbox/outbox-message.entity.js';

/** The tables every service has from the libs, created before the service's own. */
const LIB_MIGRATIONS = [MessagingTables1764060000000, IdempotentRequests1764060000100];

export interface EventDrivenServiceSpec<C extends ServiceConfig> extends Omit<MessagingSetup, 'stuckWork'> {
  name: string;
  config?: new () => C;
  /**
   * The kinds of work the service owns that can get stuck, their bounds from its settings:
   * measured on every scrape as `stuck_work_items{kind}` (docs/operations.md, "Stuck work").
   */
  stuckWork?: (config: C) => StuckWorkKind[];
  /**
   * The service's feature modules, one per capability (docs/architecture.md, "Layout"). A
   * function when a module needs the validated config (`forRoot(config…)`).
   */
  features: NonNullable<ModuleMetadata['imports']> | ((config: C, runtime: ServiceRuntime) => NonNullable<ModuleMetadata['imports']>);
  // biome-ignore lint/complexity/noBannedTypes: TypeORM types entity classes as Function
  entities?: Function[];
  // biome-ignore lint/complexity/noBannedTypes: TypeORM types entity classes as Function
  migrations?: MixedList<Function>;
  rawBody?: boolean;
  exposure?: ServiceDefinition<C>['exposure'];
  beforeListen?: ServiceDefinition<C>['beforeListen'];
}

/**
 * A Mallard service: its database with the outbox, inbox and idempotency-key tables, its Kafka
 * consumer and relay, health and metrics, and the feature modules it brings.
 */
export function defineEventDrivenService<C extends ServiceConfig = ServiceConfig>(spec: EventDrivenServiceSpec<C>): ServiceDefinition<C> {
  const root = serviceRootModule(spec.name);
  return {
    name: spec.name,
    config: spec.config,
    rawBody: spec.rawBody,
    exposure: spec.exposure,
    module: (config: C, runtime: ServiceRuntime): DynamicModule => ({
      module: root,
      imports: [
        PlatformModule.forService(config, {
          metrics: runtime.metrics,
          entities: [OutboxMessage, InboxMessage, ...(spec.entities ?? [])],
          // biome-ignore lint/complexity/noBannedTypes: TypeORM types migration classes as Function
          migrations: [...LIB_MIGRATIONS, ...((spec.migrations as unknown[]) ?? [])] as MixedList<Function>,
        }),
        MessagingModule.forService(config, runtime, spec.name, { ...spec, stuckWork: spec.stuckWork?.(config) }),
        ...(typeof spec.features === 'function' ? spec.features(config, runtime) : spec.features),
      ],
    }),
    beforeListen: async (app, config, runtime) => {
      if ((spec.consumes ?? []).length > 0) connectEventConsumer(app, runtime);
      await spec.beforeListen?.(app, config, runtime);
    },
  };
}

/** An empty root module named after the service (`OrdersService`), so Nest's logs say whose it is. */
function serviceRootModule(name: string): new () => unknown {
  const className = `${name.replace(/(^|[^a-zA-Z0-9])([a-zA-Z0-9])/g, (_, __, letter: string) => letter.toUpperCase())}Service`;
  const root = { [className]: class {} }[className];
  Module({})(root);
  return root;
}
