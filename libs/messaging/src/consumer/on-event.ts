import type { EventDefinition } from '@mallard/contracts';
import { EventPattern } from '@nestjs/microservices';
import type { EventContext } from './event-context.js';
import { handlerKey } from './handler-key.js';

type EventHandlerMethod<TPayload> = (payload: TPayload, context: EventContext) => unknown;

/**
 * Marks a controller method as the handler of one event type at one payload version. A thin,
 * typed layer over @EventPattern: the payload parameter must be that version's payload class.
 */
export function OnEvent<TPayload extends object>(
  definition: EventDefinition<TPayload>,
): <M extends EventHandlerMethod<TPayload>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void {
  // The untyped overload; the signature above is the stricter typing.
  return EventPattern<string>(handlerKey(definition.type, definition.version)) as MethodDecorator;
}
