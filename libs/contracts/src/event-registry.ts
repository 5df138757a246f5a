import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { TopicName } from './topics.js';
import { memoizeValidationRules } from './validation-metadata-cache.js';

memoizeValidationRules();

/**
 * One versioned event type: its name (a past-tense fact), the topic it travels on and the
 * class-validator class its payload must satisfy.
 */
export interface EventDefinition<TPayload extends object = object> {
  readonly type: string;
  readonly version: number;
  readonly topic: TopicName | string;
  readonly payload: ClassConstructor<TPayload>;
  readonly description: string;
}

export function defineEvent<TPayload extends object>(definition: EventDefinition<TPayload>): EventDefinition<TPayload> {
  return Object.freeze(definition);
}

export type PayloadOf<D> = D extends EventDefinition<infer P> ? P : never;

export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
}

const keyOf = (type: string, version: number): string => `${type}@v${version}`;

/** A lookup of event definitions by type and version, with payload validation. */
export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();

  constructor(definitions: readonly EventDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EventDefinition): this {
    const key = keyOf(definition.type, definition.version);
    if (this.definitions.has(key)) throw new Error(`event ${key} is defined twice`);
    this.definitions.set(key, definition);
    return this;
  }

  find(type: string, version: number): EventDefinition | undefined {
    return this.definitions.get(keyOf(type, version));
  }

  /** The topic events of this type travel on (every version shares it). */
  topicOf(type: string): string | undefined {
    for (const definition of this.definitions.values()) if (definition.type === type) return definition.topic;
    return undefined;
  }

  all(): EventDefinition[] {
    return [...this.definitions.values()];
  }

  /**
   * Turns raw data into the payload class of that event and validates it; unknown fields are
   * rejected so a producer's typo is caught at the first consumer instead of silently dropped.
   */
  parse<TPayload extends object>(type: string, version: number, data: unknown): TPayload {
    const definition = this.find(type, version);
    if (!definition) throw new EventValidationError(`unknown event type ${keyOf(type, version)}`);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new EventValidationError(`${keyOf(type, version)}: data must be a JSON object`);
    }
    const payload = plainToInstance(definition.payload, data) as TPayload;
    const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const reasons = errors.flatMap((error) => describeError(error.property, error));
      throw new EventValidationError(`${keyOf(type, version)}: ${reasons.join('; ')}`);
    }
    return payload;
  }
}

function describeError(
  path: string,
  error: {
    constraints?: Record<string, string>;
    children?: { property: string; constraints?: Record<string, string>; children?: unknown[] }[];
  },
): string[] {
  const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
  const nested = (error.children ?? []).flatMap((child) =>
    describeError(`${path}.${child.property}`, child as Parameters<typeof describeError>[1]),
  );
  return [...own, ...nested];
}
