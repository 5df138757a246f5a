import { DEAD_LETTER_KINDS, deadLetterTopicOf, EVENT_TOPIC_PARTITIONS, type EventRegistry, eventRegistry } from '@mallard/contracts';
import { type ReadinessCheck, ReadinessProbe, type ServiceConfig, type ServiceRuntime } from '@mallard/platform';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Counter, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { DataSource } from 'typeorm';
import { KafkaJsBroker } from './broker/kafkajs-broker.js';
import { type ConsumerGroupInspector, MESSAGE_BROKER, type MessageBroker } from './broker/message-broker.js';
import { KafkaEventServer } from './consumer/kafka-event.server.js';
import { InboxPurgeWorker } from './inbox/inbox-purge.worker.js';
import { registerMessagingGauges } from './metrics/messaging-gauges.js';
import { registerStuckWorkGauge, type StuckWorkKind } from './metrics/stuck-work.js';
import { EventPublisher } from './outbox/event-publisher.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { EVENT_REGISTRY, MESSAGING_OPTIONS, type MessagingOptions } from './tokens.js';

export interface MessagingSetup {
  consumes?: string[];
  publishes?: string[];
  registry?: EventRegistry;
  relay?: Partial<MessagingOptions['relay']>;
  consumer?: Partial<MessagingOptions['consumer']>;
  inboxPurge?: Partial<MessagingOptions['inboxPurge']>;
  partitions?: number;
  /** CloudEvents source and default consumer group; defaults to the service name. */
  service?: string;
  /** The kinds of work the service owns that can get stuck, for `stuck_work_items{kind}`. */
  stuckWork?: readonly StuckWorkKind[];
}

@ReadinessProbe()
@Injectable()
export class KafkaReadiness implements ReadinessCheck {
  readonly name = 'kafka';
  constructor(@Inject(MESSAGE_BROKER) private readonly broker: MessageBroker) {}
  check(): Promise<void> {
    return this.broker.ping();
  }
}

/** Creates the topics, runs the outbox relay for the life of the app, closes the client last. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly relay: OutboxRelay,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Topics it consumes are made sure of by the consumer, for the ones it subscribes to.
    await this.broker.ensureTopics(this.options.publishes.map((topic) => ({ topic, partitions: this.options.partitions })));
    this.dataSource.subscribers.push(this.relay.commitSubscriber());
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Rows written after this are published by the next instance or start.
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.broker.close();
  }
}

/** The outbox, consumer-lag and stuck-work gauges, made once per service when the module starts. */
const MESSAGING_GAUGES = Symbol('MESSAGING_GAUGES');

@Module({})
export class MessagingModule {
  static forService(config: ServiceConfig, runtime: ServiceRuntime, service: string, setup: MessagingSetup = {}): DynamicModule {
    const options: MessagingOptions = {
      service: setup.service ?? service,
      consumerGroup: config.KAFKA_CONSUMER_GROUP ?? setup.service ?? service,
      brokers: config.kafkaBrokers,
      registry: setup.registry ?? eventRegistry,
      consumes: setup.consumes ?? [],
      publishes: setup.publishes ?? [],
      partitions: setup.partitions ?? EVENT_TOPIC_PARTITIONS,
      relay: { batchSize: 500, pollIntervalMs: 500, coalesceMs: 5, ...setup.relay },
      consumer: {
        handlerAttempts: 3,
        retryBackoffMs: 200,
        maxBackoffMs: 5_000,
        partitionsConcurrently: 3,
        eventsPerTransaction: 50,
        ...setup.consumer,
      },
      inboxPurge: {
        retentionDays: config.INBOX_RETENTION_DAYS,
        intervalMs: config.INBOX_PURGE_INTERVAL_MS,
        batchSize: config.INBOX_PURGE_BATCH_SIZE,
        ...setup.inboxPurge,
      },
    };
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: EVENT_REGISTRY, useValue: options.registry },
        {
          provide: MESSAGE_BROKER,
          useFactory: () =>
            new KafkaJsBroker({
              clientId: `mallard-${options.service}`,
              brokers: options.brokers,
              logger: runtime.logger,
              topicPrefix: config.KAFKA_TOPIC_PREFIX,
            }),
        },
        { provide: EventPublisher, useValue: new EventPublisher(options.service, options.registry) },
        {
          provide: OutboxRelay,
          inject: [DataSource, MESSAGE_BROKER, Registry],
          useFactory: (dataSource: DataSource, broker: MessageBroker, registry: Registry) =>
            new OutboxRelay(
              dataSource,
              broker,
              options.relay,
              runtime.logger.child({ component: 'outbox-relay' }),
              new Counter({
                name: 'outbox_events_published_total',
                help: 'Events relayed from the outbox to Kafka',
                labelNames: ['topic'],
                registers: [registry],
              }),
            ),
        },
        {
          provide: InboxPurgeWorker,
          inject: [DataSource, MESSAGING_OPTIONS, Registry],
          useFactory: (dataSource: DataSource, messaging: MessagingOptions, registry: Registry) =>
            new InboxPurgeWorker(dataSource, messaging, runtime.logger.child({ component: 'inbox-purge' }), registry),
        },
        {
          provide: MESSAGING_GAUGES,
          inject: [DataSource, MESSAGE_BROKER, Registry],
          useFactory: (dataSource: DataSource, broker: MessageBroker & ConsumerGroupInspector, registry: Registry) => {
            const logger = runtime.logger.child({ component: 'messaging-gauges' });
            const messaging = registerMessagingGauges(registry, {
              dataSource,
              inspector: broker,
              consumerGroup: options.consumerGroup,
              consumes: options.consumes,
              logger,
            });
            const stuck = registerStuckWorkGauge(registry, { dataSource, kinds: setup.stuckWork ?? [], logger });
            return { registered: [...messaging.registered, ...stuck.registered] };
          },
        },
        KafkaReadiness,
        MessagingLifecycle,
      ],
      exports: [MESSAGE_BROKER, EVENT_REGISTRY, MESSAGING_OPTIONS, EventPublisher, OutboxRelay],
    };
  }
}

/**
 * Attaches the Kafka consumer to a service app, so its @EventPattern handlers receive the
 * events of the topics given to MessagingModule. Call before the app starts listening.
 */
export function connectEventConsumer(app: NestFastifyApplication, runtime: ServiceRuntime): KafkaEventServer {
  const options = app.get<MessagingOptions>(MESSAGING_OPTIONS);
  const registry = app.get(Registry);
  const server = new KafkaEventServer({
    broker: app.get<MessageBroker>(MESSAGE_BROKER),
    dataSource: app.get(DataSource),
    registry: options.registry,
    consumerGroup: options.consumerGroup,
    topics: options.consumes,
    partitions: options.partitions,
    deadLetterTopic: deadLetterTopicOf(options.consumerGroup),
    logger: runtime.logger.child({ component: 'event-consumer' }),
    consumed: new Counter({
      name: 'events_consumed_total',
      help: 'Consumed events by outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    deadLettered: deadLetterCounter(registry, options.consumerGroup),
    reappliedRuns: reappliedRunsCounter(registry, options.consumerGroup),
    handlingSeconds: new Histogram({
      name: 'event_handling_duration_seconds',
      help: 'Time to apply one event, its transaction included',
      labelNames: ['type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    ...options.consumer,
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  return server;
}

/** `event_runs_reapplied_total{group, reason}`, both reasons at 0 from the start (as dead_letters_total). */
function reappliedRunsCounter(registry: Registry<RegistryContentType>, consumerGroup: string): Counter<'group' | 'reason'> {
  const counter = new Counter({
    name: 'event_runs_reapplied_total',
    help: 'Runs of events applied in one transaction that failed and were applied again one event per transaction, by reason (conflict: a deadlock or serialization failure; handler: a handler error)',
    labelNames: ['group', 'reason'],
    registers: [registry],
  });
  for (const reason of ['conflict', 'handler']) counter.inc({ group: consumerGroup, reason }, 0);
  return counter;
}

/**
 * `dead_letters_total{group, kind}`, every kind of the group at 0 from the start: an alert on
 * its increase then fires for the very first letter, which a series born at 1 would hide.
 */
function deadLetterCounter(registry: Registry<RegistryContentType>, consumerGroup: string): Counter<'group' | 'kind'> {
  const counter = new Counter({
    name: 'dead_letters_total',
    help: 'Records the consumer group wrote to its dead-letter topic, by kind (docs/operations.md, "The kinds, and what to do")',
    labelNames: ['group', 'kind'],
    registers: [registry],
  });
  for (const kind of DEAD_LETTER_KINDS) counter.inc({ group: consumerGroup, kind }, 0);
  return counter;
}
