import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import { CORRELATION_HEADER, currentCorrelationId, ProblemException } from '@mallard/platform';
import { GatewayConfig } from '../config/gateway-config.js';

export type UpstreamService = 'orders' | 'inventory' | 'payments' | 'logistics' | 'after-sales';

export interface UpstreamResponse<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Internal HTTP to the services, for commands that need an answer now. The correlation id
 * travels along; a service that cannot be reached is a 503 problem, never a hang or a crash.
 */
@Injectable()
export class Upstreams implements OnApplicationShutdown {
  /** One keep-alive connection pool per service: no connection set-up on the hot path. */
  private readonly pools: Record<UpstreamService, Pool>;

  constructor(config: GatewayConfig) {
    const pool = (url: string): Pool => new Pool(url, { connections: 64, keepAliveTimeout: 30_000, headersTimeout: 10_000, bodyTimeout: 10_000 });
    this.pools = {
      orders: pool(config.ORDERS_URL),
      inventory: pool(config.INVENTORY_URL),
      payments: pool(config.PAYMENTS_URL),
      logistics: pool(config.LOGISTICS_URL),
      'after-sales': pool(config.AFTER_SALES_URL),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((pool) => pool.close()));
  }

  async call<T = unknown>(service: UpstreamService, request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) headers[name] = value;
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.pools[service].request({
        path: request.path,
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const contentType = String(response.headers['content-type'] ?? 'application/json');
      const text = await response.body.text();
      return { status: response.statusCode, contentType, body: (text ? JSON.parse(text) : null) as T };
    } catch (error) {
      throw new ProblemException({
        status: 503,
        slug: 'service-unavailable',
        title: 'A back-office service is unavailable',
        detail: `${service} did not answer; try again shortly`,
        headers: { 'Retry-After': '1' },
        extensions: { service, cause: (error as Error).name },
      });
    }
  }
}
