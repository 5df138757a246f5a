import type { EventDefinition } from '@mallard/contracts';
import { EventPattern } from '@nestjs/microservices';
import type { EventContext } from './event-context.js';

type EventHandlerMethod<TPayload> = (payload: TPayload, context: EventContext) => unknown;

/**
 * Marks a controller method as the handler of one event type. A thin, typed layer over
 * @EventPattern: the payload parameter must be the event's payload class.
 */
export function OnEvent<TPayload extends object>(
  definition: EventDefinition<TPayload>,
): <M extends EventHandlerMethod<TPayload>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void {
  // The untyped overload; the signature above is the stricter typing.
  return EventPattern<string>(definition.type) as MethodDecorator;
}
