import 'reflect-metadata';
import { startHttpTestApp } from '@mallard/testing';
import { Body, Controller, Get, NotFoundException, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { PROBLEM_CONTENT_TYPE, ProblemException, slugForStatus } from './problem-details.js';

@Controller('things')
class ThingsController {
  @Get('refused')
  refused(): never {
    throw new ProblemException({
      status: 409,
      slug: 'order-not-cancellable',
      title: 'Order cannot be cancelled',
      detail: 'Order o-1 has shipped.',
      extensions: { orderId: 'o-1', status: 'overridden?', type: 'overridden?' },
      headers: { 'x-problem-hint': 'yes' },
    });
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('No thing t-9.');
  }

  @Get('bug')
  bug(): never {
    throw new Error('connect ECONNREFUSED db-primary:5432 password=hunter2');
  }

  @Get('thrown-string')
  thrownString(): never {
    throw 'raw string';
  }

  @Post()
  create(@Body() body: unknown): unknown {
    return body;
  }
}

describe('ProblemDetailsFilter', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startHttpTestApp({
      controllers: [ThingsController],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('renders a ProblemException with its slug, extensions and headers', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/things/refused?secret=1',
      headers: { 'x-correlation-id': 'corr-123' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toBe(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    expect(res.headers['x-problem-hint']).toBe('yes');
    expect(res.json()).toEqual({
      type: 'https://mallard.dev/problems/order-not-cancellable',
      title: 'Order cannot be cancelled',
      status: 409,
      detail: 'Order o-1 has shipped.',
      instance: '/things/refused',
      correlationId: 'corr-123',
      orderId: 'o-1',
    });
  });

  it('maps a plain HttpException by its status', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/missing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toEqual({
      type: 'https://mallard.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No thing t-9.',
      instance: '/things/missing',
    });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ type: 'https://mallard.dev/problems/not-found', status: 404, instance: '/nowhere' });
  });

  it('turns an unexpected Error into a 500 that does not leak its message', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'https://mallard.dev/problems/internal-server-error',
      title: 'Internal Server Error',
      status: 500,
      instance: '/things/bug',
    });
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('ECONNREFUSED');
    expect(Object.keys(body)).not.toContain('stack');
  });

  it('treats a thrown non-Error like a bug', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/thrown-string' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('raw string');
  });

  it('renders a malformed JSON body as a 400 problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ type: 'https://mallard.dev/problems/bad-request', status: 400 });
  });

  it('ignores a correlation id that does not look like one', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/things/missing',
      headers: { 'x-correlation-id': 'x\u0000<script>' },
    });
    expect(res.json().correlationId).toBeUndefined();
  });
});

describe('slugForStatus', () => {
  it('derives kebab-case slugs from the status phrase', () => {
    expect(slugForStatus(422)).toBe('unprocessable-entity');
    expect(slugForStatus(429)).toBe('too-many-requests');
    expect(slugForStatus(599)).toBe('http-599');
  });
});
