import { describe, expect, it } from 'vitest';
import { assertAnswerInContract } from './api-contract.js';

describe('the contract the end-to-end tests hold the gateway to', () => {
  const problem = { type: 'https://mallard.dev/problems/order-not-found', title: 'Order not found', status: 404 };

  it('accepts a problem answer the route lists', () => {
    expect(() => assertAnswerInContract('GET', '/api/v1/orders/abc', 404, 'application/problem+json', problem)).not.toThrow();
  });

  it('refuses an answer that lacks what the document requires, naming the route', () => {
    expect(() => assertAnswerInContract('GET', '/api/v1/orders/abc', 200, 'application/json', { id: 'abc' })).toThrow(
      /GET \/api\/v1\/orders\/\{id\} 200 application\/json: the answer does not match/,
    );
  });

  it('refuses a status, a media type or a route the document does not have', () => {
    // A status the route does not list falls to its `default` answer, which is a problem.
    expect(() => assertAnswerInContract('GET', '/api/v1/orders/abc', 418, 'application/json', {})).toThrow(
      /the document says application\/problem\+json/,
    );
    expect(() => assertAnswerInContract('GET', '/api/v1/orders/abc', 404, 'text/html', '<html>')).toThrow(/answered 404 as text\/html/);
    expect(() => assertAnswerInContract('GET', '/api/v1/nowhere', 200, 'application/json', {})).toThrow(/is not in docs\/openapi.json/);
  });
});
