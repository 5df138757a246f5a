import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { defineEvent, EventRegistry, EventValidationError } from './event-registry.js';

class Line {
  @IsString() sku: string;
  @IsInt() @Min(1) quantity: number;
}
class Placed {
  @IsString() orderId: string;
  @ValidateNested({ each: true }) @Type(() => Line) lines: Line[];
}

const placedV1 = defineEvent({ type: 'order.placed', version: 1, topic: 't', payload: Placed, description: 'd' });

describe('EventRegistry', () => {
  const registry = new EventRegistry([placedV1]);

  it('turns valid data into the payload class', () => {
    const payload = registry.parse<Placed>('order.placed', 1, { orderId: 'o1', lines: [{ sku: 'A', quantity: 2 }] });
    expect(payload).toBeInstanceOf(Placed);
    expect(payload.lines[0]).toBeInstanceOf(Line);
  });

  it('says which field of a nested payload is wrong', () => {
    expect(() => registry.parse('order.placed', 1, { orderId: 'o1', lines: [{ sku: 'A', quantity: 0 }] })).toThrow(
      /lines\.0\.quantity: quantity must not be less than 1/,
    );
  });

  it('rejects unknown fields, unknown types and versions, and non-objects', () => {
    expect(() => registry.parse('order.placed', 1, { orderId: 'o1', lines: [], extra: 1 })).toThrow(/extra/);
    expect(() => registry.parse('order.placed', 2, { orderId: 'o1', lines: [] })).toThrow(/unknown event type order.placed@v2/);
    expect(() => registry.parse('order.placed', 1, [1])).toThrow(EventValidationError);
  });

  it('refuses the same type and version twice', () => {
    expect(() => new EventRegistry([placedV1, placedV1])).toThrow(/defined twice/);
  });
});
