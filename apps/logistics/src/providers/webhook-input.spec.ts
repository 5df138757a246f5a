import { describe, expect, it } from 'vitest';
import { cleanText, headerOf, parseForm, parseJsonObject, placeOf } from './webhook-input.js';

describe('webhook input', () => {
  it('finds a header whatever its case, and treats one sent twice as absent', () => {
    expect(headerOf({ 'AfterShip-Hmac-Sha256': 'abc' }, 'aftership-hmac-sha256')).toBe('abc');
    expect(headerOf({ 'x-hmac-signature': ['abc'] }, 'X-Hmac-Signature')).toBe('abc');
    expect(headerOf({ 'x-hmac-signature': ['abc', 'def'] }, 'x-hmac-signature')).toBeUndefined();
    expect(headerOf({ a: 'x', A: 'y' }, 'a')).toBeUndefined();
    expect(headerOf({}, 'a')).toBeUndefined();
  });

  it('parses JSON objects only, and forms keeping a field’s first value', () => {
    expect(parseJsonObject(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    for (const other of ['[1]', '"text"', 'null', '{', '']) expect(parseJsonObject(other), other).toBeNull();
    expect(parseForm(Buffer.from('param=%7B%22a%22%3A1%7D&sign=AB&sign=CD'))).toEqual({ param: '{"a":1}', sign: 'AB' });
  });

  it('cleans free text of control characters and joins places', () => {
    expect(cleanText('line\u0000one\nline two ', 100)).toBe('line one line two');
    expect(cleanText('x'.repeat(20), 5)).toBe('xxxxx');
    expect(cleanText(42)).toBe('');
    expect(placeOf('Shenzhen', '', null, 'CN')).toBe('Shenzhen, CN');
    expect(placeOf(undefined)).toBeNull();
  });
});
