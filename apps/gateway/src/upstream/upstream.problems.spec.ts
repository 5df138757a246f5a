import { describe, expect, it } from 'vitest';
import { forwardedProblem } from './upstream.problems.js';

describe('forwardedProblem', () => {
  it('hands on the service’s problem with its members and Retry-After, under the gateway’s own instance', () => {
    const forwarded = forwardedProblem('payments', {
      status: 503,
      contentType: 'application/problem+json',
      retryAfter: '2',
      body: {
        type: 'https://mallard.dev/problems/busy-try-again',
        title: 'Busy, try again',
        status: 503,
        detail: 'collided with a capture',
        instance: '/internal/payments',
        correlationId: 'service-side',
        orderId: 'o-1',
      },
    });
    expect(forwarded.getStatus()).toBe(503);
    expect(forwarded.headers).toEqual({ 'Retry-After': '2' });
    expect(forwarded.toProblem('/api/v1/orders/o-1/payments', 'edge')).toEqual({
      type: 'https://mallard.dev/problems/busy-try-again',
      title: 'Busy, try again',
      status: 503,
      detail: 'collided with a capture',
      instance: '/api/v1/orders/o-1/payments',
      correlationId: 'edge',
      orderId: 'o-1',
    });
  });

  it('keeps the field errors of a 400', () => {
    const errors = [{ field: 'lines', messages: ['lines must not be empty'] }];
    const forwarded = forwardedProblem('orders', {
      status: 400,
      contentType: 'application/problem+json',
      body: { type: 'https://mallard.dev/problems/validation-failed', title: 'Invalid request', status: 400, errors },
    });
    expect(forwarded.toProblem()).toMatchObject({ status: 400, errors });
    expect(forwarded.headers).toEqual({});
  });

  it('turns a refusal without a problem body into back-office-answer-unreadable', () => {
    const forwarded = forwardedProblem('inventory', { status: 500, contentType: 'text/plain', body: 'oops' });
    expect(forwarded.getStatus()).toBe(502);
    expect(forwarded.toProblem()).toMatchObject({
      type: 'https://mallard.dev/problems/back-office-answer-unreadable',
      service: 'inventory',
    });
  });
});
