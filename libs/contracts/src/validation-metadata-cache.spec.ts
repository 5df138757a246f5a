import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, MetadataStorage, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { PlaceOrderRequest } from './api/place-order.request.js';
import { PAYMENT_METHODS } from './commerce.js';
import * as contracts from './index.js';
import { memoizeValidationRules } from './validation-metadata-cache.js';

const storage = getMetadataStorage();
/** class-validator's own lookup, which the memo replaces on the shared storage only. */
type Class = abstract new (...args: never) => unknown;
const uncached = (target: Class) => MetadataStorage.prototype.getTargetValidationMetadatas.call(storage, target, '', false, false);
const decorated = (Object.values(contracts) as unknown[]).filter(
  (value): value is Class => typeof value === 'function' && uncached(value as Class).length > 0,
);

describe('memoizeValidationRules', () => {
  it('answers for every contract class exactly what class-validator works out, inherited rules included', () => {
    memoizeValidationRules();
    memoizeValidationRules();
    expect(decorated.length).toBeGreaterThan(50);
    for (const target of decorated) {
      const first = storage.getTargetValidationMetadatas(target, '', false, false);
      expect(first).toEqual(uncached(target));
      // Kept: the second lookup is the same answer, not a new scan.
      expect(storage.getTargetValidationMetadatas(target, '', false, false)).toBe(first);
    }
  });

  it('validates as before: a good request passes, a bad one is refused field by field', () => {
    memoizeValidationRules();
    const request = {
      lines: [{ skuId: 'SKU-1', quantity: 1 }],
      receiver: { name: 'Ann', phone: '+8613800000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } },
      paymentMethod: PAYMENT_METHODS[0],
    };
    const options = { whitelist: true, forbidNonWhitelisted: true };
    expect(validateSync(plainToInstance(PlaceOrderRequest, request), options)).toEqual([]);
    const bad = plainToInstance(PlaceOrderRequest, { ...request, lines: [{ skuId: 'SKU-1', quantity: 0 }], unknownField: 1 });
    const errors = validateSync(bad, options);
    expect(errors.map((error) => error.property).sort()).toEqual(['lines', 'unknownField']);
    expect(errors.find((error) => error.property === 'lines')?.children?.[0]?.children?.[0]?.constraints).toHaveProperty('min');
  });
});
