import { Injectable } from '@nestjs/common';
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
export class Upstreams {
  private readonly baseUrls: Record<UpstreamService, string>;

  constructor(config: GatewayConfig) {
    this.baseUrls = {
      orders: config.ORDERS_URL,
      inventory: config.INVENTORY_URL,
      payments: config.PAYMENTS_URL,
      logistics: config.LOGISTICS_URL,
      'after-sales': config.AFTER_SALES_URL,
    };
  }

  async call<T = unknown>(service: UpstreamService, request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) headers[name] = value;
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(request.path, this.baseUrls[service]), {
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(10_000),
      });
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
    const contentType = response.headers.get('content-type') ?? 'application/json';
    const text = await response.text();
    return { status: response.status, contentType, body: (text ? JSON.parse(text) : null) as T };
  }
}
