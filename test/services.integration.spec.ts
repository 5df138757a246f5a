import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { SERVICE_NAMES } from '@mallard/contracts';
import type { ServiceConfig, ServiceDefinition } from '@mallard/platform';
import { dropDatabase, eventually, infrastructure, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { afterSalesService } from '../apps/after-sales/src/service.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';

const definitions: readonly ServiceDefinition<ServiceConfig>[] = [
  gatewayService,
  ordersService,
  inventoryService,
  paymentsService,
  logisticsService,
  afterSalesService,
];

describe('every service boots on real Kafka and PostgreSQL', () => {
  const started: TestService[] = [];

  afterAll(async () => {
    for (const service of started) {
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  it.each(definitions.map((definition) => [definition.name, definition] as const))(
    '%s reports live, ready and metrics',
    async (name, definition) => {
      const service = await startTestService(definition);
      started.push(service);

      const live = await fetch(`${service.url}/health/live`);
      expect(live.status).toBe(200);

      const ready = await fetch(`${service.url}/health/ready`, { headers: { 'x-correlation-id': `ready-${name}` } });
      expect(ready.status).toBe(200);
      expect(ready.headers.get('x-correlation-id')).toBe(`ready-${name}`);
      const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
      expect(body.status).toBe('ok');
      expect(body.info.database.status).toBe('up');
      expect(body.info.kafka.status).toBe('up');

      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain(`service="${name}"`);
      expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health\/ready"[^}]*\} 1/);

      // Every pooled connection carries the statement timeout (DATABASE_STATEMENT_TIMEOUT_MS).
      const [{ statement_timeout }] = await service.app.get(DataSource).query('SHOW statement_timeout');
      expect(statement_timeout).toBe('15s');
    },
  );
});

describe('the gateway edge', () => {
  let gateway: TestService;

  afterAll(async () => {
    await gateway?.stop();
    if (gateway) await dropDatabase(gateway.databaseName);
  });

  it('serves its OpenAPI document and docs page openly and answers errors as problem+json', async () => {
    gateway = await startTestService(gatewayService);
    const openapi = await fetch(`${gateway.url}/api/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    const document = (await openapi.json()) as { openapi: string; components: { securitySchemes: Record<string, { scheme: string }> } };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.values(document.components.securitySchemes).map((scheme) => scheme.scheme)).toContain('bearer');
    expect((await fetch(`${gateway.url}/docs`)).headers.get('content-type')).toContain('text/html');

    const missing = await fetch(`${gateway.url}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('a service process', () => {
  const entry = (name: string): string[] => ['--import', '@swc-node/register/esm-register', `apps/${name}/src/main.ts`];

  it('refuses to start on a bad setting and says which', async () => {
    const child = spawn(process.execPath, entry('inventory'), {
      env: { ...process.env, PORT: 'ninety', KAFKA_BROKERS: 'nowhere' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('inventory: invalid configuration');
    expect(stderr).toContain('PORT="ninety"');
    expect(stderr).toContain('KAFKA_BROKERS="nowhere"');
  });

  it('stops cleanly (exit 0) on a SIGTERM that arrives while it is still starting', async () => {
    const { kafkaBrokers, databaseUrl } = infrastructure();
    const databaseName = `test_process_early_${uniqueSuffix()}`;
    const child = spawn(process.execPath, entry('after-sales'), {
      env: {
        ...process.env,
        PORT: '0',
        KAFKA_BROKERS: kafkaBrokers,
        KAFKA_TOPIC_PREFIX: `t${uniqueSuffix()}.`,
        KAFKA_CONSUMER_GROUP: `after-sales-${uniqueSuffix()}`,
        DATABASE_URL: databaseUrl,
        DATABASE_NAME: databaseName,
        DATABASE_POOL_SIZE: '2',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    const exited = once(child, 'exit');
    // The first log line comes from creating the app: migrations, topics and the consumer are still ahead.
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk) => {
        if (!output.stdout) resolve();
        output.stdout += chunk;
      }),
    );
    child.stderr.on('data', (chunk) => (output.stderr += chunk));
    expect(output.stdout).not.toContain('after-sales listening');
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal, stderr: output.stderr }).toEqual({ code: 0, signal: null, stderr: expect.any(String) });
    expect(output.stdout).toContain('after-sales stopping');
    expect(output.stdout).toContain('after-sales stopped');
    await dropDatabase(databaseName);
  }, 60_000);

  it('each service starts from its entry point, logs JSON and stops cleanly on SIGTERM', async () => {
    const { kafkaBrokers, databaseUrl } = infrastructure();
    const prefix = `t${uniqueSuffix()}.`;
    const processes = SERVICE_NAMES.map((name, index) => {
      const databaseName = `test_process_${name.replace('-', '_')}_${uniqueSuffix()}`;
      const port = String(23_000 + Math.floor(Math.random() * 5_000) + index);
      const child = spawn(process.execPath, entry(name), {
        env: {
          ...process.env,
          PORT: port,
          HOST: '127.0.0.1',
          KAFKA_BROKERS: kafkaBrokers,
          KAFKA_TOPIC_PREFIX: prefix,
          KAFKA_CONSUMER_GROUP: `${name}-${uniqueSuffix()}`,
          DATABASE_URL: databaseUrl,
          DATABASE_NAME: databaseName,
          DATABASE_POOL_SIZE: '4',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = { stdout: '', stderr: '' };
      child.stdout.on('data', (chunk) => (output.stdout += chunk));
      child.stderr.on('data', (chunk) => (output.stderr += chunk));
      return { name, port, child, output, databaseName, exited: once(child, 'exit') };
    });
    try {
      await Promise.all(
        processes.map(({ port, output, name }) =>
          eventually(
            () =>
              fetch(`http://127.0.0.1:${port}/health/ready`).then(
                (response) => response.status,
                () => 0,
              ),
            (status) => status === 200,
            { timeoutMs: 60_000, intervalMs: 250 },
          ).catch((error: Error) => {
            throw new Error(`${name} never got ready: ${error.message}\n${output.stderr.slice(-4_000)}\n${output.stdout.slice(-4_000)}`);
          }),
        ),
      );
    } finally {
      for (const { child } of processes) child.kill('SIGTERM');
    }
    for (const { name, exited, output, databaseName } of processes) {
      const [code, signal] = await exited;
      expect({ name, code, signal }).toEqual({ name, code: 0, signal: null });
      const lines = output.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.filter((line) => line.service === name).map((line) => line.msg)).toEqual(
        expect.arrayContaining([`${name} listening`, `${name} stopping`, `${name} stopped`]),
      );
      await dropDatabase(databaseName);
    }
  }, 120_000);
});
