import { describe, expect, it } from 'vitest';
import { findUnsafeInput, MAX_INPUT_DEPTH } from './input-safety.js';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('findUnsafeInput', () => {
  it('accepts ordinary input, including paired surrogates (emoji) and every other control character', () => {
    expect(findUnsafeInput({ name: 'Han Meimei 🦆', lines: [{ skuId: 'tea', quantity: 2 }], note: '\u0001\t\n' })).toBeUndefined();
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(findUnsafeInput(undefined)).toBeUndefined();
    expect(findUnsafeInput(null)).toBeUndefined();
  });

  it('refuses nesting deeper than the limit, objects and arrays alike, without recursion', () => {
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH + 1))).toMatchObject({ kind: 'too-deep' });
    let array: unknown = [];
    for (let i = 0; i < 100_000; i++) array = [array];
    expect(findUnsafeInput(array)).toMatchObject({ kind: 'too-deep' });
  });

  it('finds a NUL character in a value or a key, with the path to it', () => {
    expect(findUnsafeInput({ receiver: { address: { city: 'Su\u0000zhou' } } })).toEqual({
      kind: 'nul-character',
      path: 'receiver.address.city',
    });
    expect(findUnsafeInput({ lines: [{ skuId: 'ok' }, { skuId: '\u0000' }] })).toEqual({ kind: 'nul-character', path: 'lines.1.skuId' });
    expect(findUnsafeInput({ 'bad\u0000key': 1 })).toEqual({ kind: 'nul-character', path: '$' });
    expect(findUnsafeInput('\u0000')).toEqual({ kind: 'nul-character', path: '$' });
  });

  it('finds lone surrogates, high or low, anywhere in a string', () => {
    expect(findUnsafeInput({ name: '\ud800' })).toMatchObject({ kind: 'lone-surrogate', path: 'name' });
    expect(findUnsafeInput({ name: 'a\udc00b' })).toMatchObject({ kind: 'lone-surrogate' });
    expect(findUnsafeInput({ name: '🦆\ud83e' })).toMatchObject({ kind: 'lone-surrogate' });
    expect(findUnsafeInput({ name: '\udc00\ud800' })).toMatchObject({ kind: 'lone-surrogate' });
  });
});
