import { describe, expect, it } from 'vitest';
import { ProblemException } from '../http/problem-details.js';
import { defineProblems } from './define-problems.js';
import { findRegisteredProblem, registeredProblems } from './problem-registry.js';

// The registry is process-wide: every slug here is unique to this file.
const shopProblems = defineProblems('spec-shop', {
  orderNotFound: {
    slug: 'spec-order-not-found',
    status: 404,
    title: 'Order not found',
    description: 'No such order.',
    extensions: ['orderId'],
    headers: { 'Retry-After': '1' },
    create: (orderId: string) => ({ detail: `no order ${orderId}`, extensions: { orderId } }),
  },
  orderNotCancellable: {
    slug: 'spec-order-not-cancellable',
    status: 409,
    title: 'Order cannot be cancelled',
    description: 'The order has shipped.',
    extensions: ['orderId', 'state'],
  },
  tooManyRequests: {
    slug: 'spec-rate-limited',
    status: 429,
    title: 'Slow down',
    description: 'Too many requests this minute.',
  },
});

describe('defineProblems', () => {
  it('makes factories whose arguments are the ones create declares', () => {
    const problem = shopProblems.orderNotFound('o-1');
    expect(problem).toBeInstanceOf(ProblemException);
    expect(problem.getStatus()).toBe(404);
    expect(problem.toProblem('/orders/o-1', 'corr-1')).toEqual({
      type: 'https://mallard.dev/problems/spec-order-not-found',
      title: 'Order not found',
      status: 404,
      detail: 'no order o-1',
      instance: '/orders/o-1',
      correlationId: 'corr-1',
      orderId: 'o-1',
    });
    expect(problem.headers).toEqual({ 'Retry-After': '1' });
    // @ts-expect-error the factory takes what create takes
    shopProblems.orderNotFound(42);
  });

  it('takes detail, extensions and headers at the call site when an entry has no create', () => {
    const problem = shopProblems.orderNotCancellable({ detail: 'o-2 has shipped', extensions: { orderId: 'o-2', state: 'SHIPPED' } });
    expect(problem.toProblem()).toEqual({
      type: 'https://mallard.dev/problems/spec-order-not-cancellable',
      title: 'Order cannot be cancelled',
      status: 409,
      detail: 'o-2 has shipped',
      orderId: 'o-2',
      state: 'SHIPPED',
    });
    expect(problem.headers).toEqual({});

    const limited = shopProblems.tooManyRequests({ headers: { 'Retry-After': '30' } });
    expect(limited.headers).toEqual({ 'Retry-After': '30' });
    expect(limited.toProblem()).toEqual({ type: 'https://mallard.dev/problems/spec-rate-limited', title: 'Slow down', status: 429 });

    // @ts-expect-error only declared extension members are accepted
    shopProblems.orderNotCancellable({ extensions: { orderId: 'o-3', colour: 'red' } });
    // @ts-expect-error an entry that declares no members takes none
    shopProblems.tooManyRequests({ extensions: { anything: 1 } });
  });

  it('lets the call site add headers to the entry’s own', () => {
    const catalogue = defineProblems('spec-auth', {
      tokenExpired: {
        slug: 'spec-token-expired',
        status: 401,
        title: 'Token expired',
        description: 'The bearer token expired.',
        headers: { 'WWW-Authenticate': 'Bearer realm="spec"' },
      },
    });
    expect(catalogue.tokenExpired({ headers: { 'Cache-Control': 'no-store' } }).headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="spec"',
      'Cache-Control': 'no-store',
    });
  });

  it('says what each factory makes, and recognises its own problems', () => {
    expect(shopProblems.orderNotFound.slug).toBe('spec-order-not-found');
    expect(shopProblems.orderNotFound.status).toBe(404);
    expect(shopProblems.orderNotFound.title).toBe('Order not found');
    expect(shopProblems.orderNotFound.type).toBe('https://mallard.dev/problems/spec-order-not-found');
    expect(shopProblems.orderNotFound.is(shopProblems.orderNotFound('o-1'))).toBe(true);
    expect(shopProblems.orderNotFound.is(shopProblems.orderNotCancellable())).toBe(false);
    expect(shopProblems.orderNotFound.is(new Error('spec-order-not-found'))).toBe(false);
  });

  it('registers every entry with its owner, status, title, description and members', () => {
    expect(registeredProblems().filter((problem) => problem.owner === 'spec-shop')).toEqual([
      {
        owner: 'spec-shop',
        slug: 'spec-order-not-found',
        status: 404,
        title: 'Order not found',
        description: 'No such order.',
        extensions: ['orderId'],
      },
      {
        owner: 'spec-shop',
        slug: 'spec-order-not-cancellable',
        status: 409,
        title: 'Order cannot be cancelled',
        description: 'The order has shipped.',
        extensions: ['orderId', 'state'],
      },
      {
        owner: 'spec-shop',
        slug: 'spec-rate-limited',
        status: 429,
        title: 'Slow down',
        description: 'Too many requests this minute.',
        extensions: [],
      },
    ]);
  });

  it('lets two owners share a slug that means the same, once per owner', () => {
    defineProblems('spec-other-shop', {
      orderNotFound: { slug: 'spec-order-not-found', status: 404, title: 'Order not found', description: 'Not ours either.' },
    });
    defineProblems('spec-other-shop', {
      orderNotFound: { slug: 'spec-order-not-found', status: 404, title: 'Order not found', description: 'Not ours either.' },
    });
    const owners = registeredProblems()
      .filter((problem) => problem.slug === 'spec-order-not-found')
      .map((problem) => problem.owner);
    expect(owners).toEqual(['spec-shop', 'spec-other-shop']);
    expect(findRegisteredProblem('spec-order-not-found')?.status).toBe(404);
  });

  it('refuses a slug defined again with another status or title, naming both owners', () => {
    expect(() =>
      defineProblems('spec-clash', {
        gone: { slug: 'spec-order-not-found', status: 410, title: 'Order not found', description: '…' },
      }),
    ).toThrow(/"spec-order-not-found" is defined by spec-clash as 410 "Order not found", but spec-shop already defined it as 404/);
    expect(() =>
      defineProblems('spec-clash', {
        missing: { slug: 'spec-order-not-found', status: 404, title: 'No such order', description: '…' },
      }),
    ).toThrow(/spec-clash as 404 "No such order"/);
    expect(registeredProblems().some((problem) => problem.owner === 'spec-clash')).toBe(false);
  });

  it('refuses, when type-checked, a create that returns members its entry does not declare', () => {
    const catalogue = defineProblems('spec-members', {
      // @ts-expect-error `hint` is not among the declared extension members
      refused: {
        slug: 'spec-refused',
        status: 422,
        title: 'Refused',
        description: '…',
        extensions: ['code'],
        create: (code: string) => ({ extensions: { code, hint: 'try later' } }),
      },
    });
    expect(catalogue.refused('C1').extensions).toEqual({ code: 'C1', hint: 'try later' });
  });
});
