import 'reflect-metadata';
import { startHttpTestApp } from '@mallard/testing';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, Length, Min, ValidateNested } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';
import { createValidationPipe } from './validation.js';

class LineDto {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class PlaceOrderDto {
  @IsString()
  @Length(3, 40)
  shopperRef!: string;

  @ValidateNested({ each: true })
  @Type(() => LineDto)
  @ArrayMinSize(1)
  lines!: LineDto[];
}

class PageQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;
}

@Controller('orders')
class OrdersController {
  @Post()
  place(@Body() dto: PlaceOrderDto) {
    return { isDto: dto instanceof PlaceOrderDto, isLine: dto.lines[0] instanceof LineDto, dto };
  }

  @Get()
  list(@Query() query: PageQuery) {
    return { page: query.page, type: typeof query.page };
  }
}

const problemOf = (res: { statusCode: number; headers: Record<string, unknown>; json: () => any }) => {
  expect(res.statusCode).toBe(400);
  expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  const body = res.json();
  expect(body).toMatchObject({ type: 'https://mallard.dev/problems/validation-failed', status: 400, title: 'Invalid request' });
  return body as { errors: Array<{ field: string; messages: string[] }>; detail: string };
};

describe('createValidationPipe', () => {
  let app: NestFastifyApplication;
  const post = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

  beforeAll(async () => {
    app = await startHttpTestApp({
      controllers: [OrdersController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: () => createValidationPipe() },
      ],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('passes a valid body through as DTO instances', async () => {
    const res = await post({ shopperRef: 'alice', lines: [{ sku: 'SKU-1', quantity: 2 }] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      isDto: true,
      isLine: true,
      dto: { shopperRef: 'alice', lines: [{ sku: 'SKU-1', quantity: 2 }] },
    });
  });

  it('rejects unknown fields, top-level and nested, instead of dropping them', async () => {
    const body = problemOf(await post({ shopperRef: 'alice', coupon: 'FREE', lines: [{ sku: 'S', quantity: 1, price: 0 }] }));
    expect(body.errors).toEqual([
      { field: 'coupon', messages: ['property coupon should not exist'] },
      { field: 'lines.0.price', messages: ['property price should not exist'] },
    ]);
  });

  it('lists every invalid field with its messages and never echoes values', async () => {
    const body = problemOf(await post({ shopperRef: 'ab', lines: [{ sku: 'S', quantity: 0 }, { quantity: 'x' }] }));
    const byField = Object.fromEntries(body.errors.map((error) => [error.field, error.messages]));
    expect(Object.keys(byField).sort()).toEqual(['lines.0.quantity', 'lines.1.quantity', 'lines.1.sku', 'shopperRef']);
    expect(byField.shopperRef).toEqual(['shopperRef must be longer than or equal to 3 characters']);
    expect(byField['lines.0.quantity']).toEqual(['quantity must not be less than 1']);
    expect(body.detail).toContain('4 fields');
    expect(JSON.stringify(body)).not.toContain('"value"');
  });

  it('rejects a body that is not an object', async () => {
    const body = problemOf(await post([1, 2]));
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it('rejects a missing body', async () => {
    const body = problemOf(await app.inject({ method: 'POST', url: '/orders' }));
    expect(body.errors.map((error) => error.field)).toEqual(expect.arrayContaining(['shopperRef', 'lines']));
  });

  it('transforms and validates query strings too', async () => {
    const ok = await app.inject({ method: 'GET', url: '/orders?page=3' });
    expect(ok.json()).toEqual({ page: 3, type: 'number' });
    const body = problemOf(await app.inject({ method: 'GET', url: '/orders?page=0&sort=desc' }));
    expect(body.errors.map((error) => error.field).sort()).toEqual(['page', 'sort']);
  });
});
