import 'reflect-metadata';
import { connect } from 'node:net';
import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErrorsModule } from '../http/http-errors.module.js';
import { MAX_INPUT_DEPTH } from '../http/input-safety.js';
import { PROBLEM_CONTENT_TYPE } from '../http/problem-details.js';
import { type StartedService, startService } from './service-app.js';

class InnerDto {
  @IsString() name!: string;
}

class ThingDto {
  @IsString() @Length(1, 50) name!: string;
  @IsOptional() @ValidateNested() @Type(() => InnerDto) inner?: InnerDto;
}

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() page?: number;
  @IsOptional() @IsString() q?: string;
}

@Controller('things')
class ThingsController {
  static created = 0;

  @Post()
  create(@Body() dto: ThingDto) {
    ThingsController.created++;
    return dto;
  }

  @Get(':id')
  one(@Param('id') id: string, @Query() query: PageQuery) {
    return { id, query };
  }
}

@Module({ imports: [HttpErrorsModule], controllers: [ThingsController] })
class ThingsModule {}

/** Boots a real service (startService: the adapter options and hooks every service gets), no database needed. */
describe('the HTTP edge every service shares', () => {
  let service: StartedService;
  const json = (payload: string) => ({ method: 'POST' as const, url: '/things', headers: { 'content-type': 'application/json' }, payload });
  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, slug?: string) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body);
    expect(body.status).toBe(status);
    if (slug) expect(body.type).toBe(`https://mallard.dev/problems/${slug}`);
    return body;
  };

  beforeAll(async () => {
    service = await startService(
      // An edge (as the gateway is): these checks come before any caller is authenticated.
      { name: 'edge-spec', module: () => ({ module: ThingsModule }), rawBody: true, exposure: 'edge' },
      { PORT: '0', HOST: '127.0.0.1', DATABASE_NAME: 'unused', LOG_LEVEL: 'fatal' },
    );
  });
  afterAll(async () => {
    await service?.app.close();
  });

  it('refuses JSON nested deeper than the limit before any DTO code runs (it would overflow the stack)', async () => {
    const before = ThingsController.created;
    const deepArray = `{"name":"a","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const deepObject = `{"name":"a","inner":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    for (const payload of [deepArray, deepObject]) {
      const body = expectProblem(await service.app.inject(json(payload)), 400, 'input-too-deep');
      expect(body.maxDepth).toBe(MAX_INPUT_DEPTH);
    }
    expect(ThingsController.created).toBe(before);
  });

  it('refuses NUL characters and lone surrogates in the body, the query and the path', async () => {
    const before = ThingsController.created;
    expectProblem(await service.app.inject(json('{"name":"a\\u0000b"}')), 400, 'invalid-characters');
    expectProblem(await service.app.inject(json('{"name":"x","inner":{"name":"\\ud800"}}')), 400, 'invalid-characters');
    expectProblem(
      await service.app.inject({
        method: 'POST',
        url: '/things',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=a%00',
      }),
      400,
      'invalid-characters',
    );
    expect(ThingsController.created).toBe(before);
    for (const url of ['/things/a%00b', '/things/a?q=%00', '/things/a?q=x&q=%00']) {
      const res = await fetch(`${service.url}${url}`);
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    }
    const fine = await service.app.inject(json('{"name":"Han 🦆"}'));
    expect(fine.statusCode).toBe(201);
  });

  it('answers the router’s own refusals as problems: bad percent-encoding (400), an over-long path parameter (414)', async () => {
    for (const [url, status, slug] of [
      ['/things/%FF', 400, 'malformed-url'],
      ['/things/%ZZ', 400, 'malformed-url'],
      [`/things/${'a'.repeat(150)}`, 414, 'path-parameter-too-long'],
    ] as const) {
      const res = await fetch(`${service.url}${url}`);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(((await res.json()) as { type: string }).type).toBe(`https://mallard.dev/problems/${slug}`);
    }
  });

  it('answers Fastify’s body errors as problems: 415, 413, empty and malformed JSON', async () => {
    expectProblem(
      await service.app.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'text/plain' }, payload: 'hello' }),
      415,
    );
    expectProblem(
      await service.app.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }),
      415,
    );
    expectProblem(await service.app.inject(json(JSON.stringify({ name: 'a'.repeat(1_100_000) }))), 413);
    expectProblem(await service.app.inject(json('')), 400);
    expectProblem(await service.app.inject(json('{"name":')), 400);
    expectProblem(await service.app.inject({ method: 'GET', url: '/nowhere' }), 404);
  });

  it('answers a request Node’s HTTP parser refuses with a problem on the socket', async () => {
    const address = new URL(service.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(address.port), address.hostname, () =>
        socket.write('GET /things/a HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('utf8')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain(`Content-Type: ${PROBLEM_CONTENT_TYPE}`);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      type: 'https://mallard.dev/problems/bad-request',
    });
  });
});
