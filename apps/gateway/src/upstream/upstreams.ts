import {
  CALLER_HEADERS,
  CORRELATION_HEADER,
  callerFromHeaders,
  currentCorrelationId,
  SERVICE_TOKEN_HEADER,
  ServiceTokens,
  serviceTokenSecretOf,
} from '@mallard/platform';

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BalancedPool, Pool } from 'undici';
import { currentCaller } from '../auth/caller-context.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { relay, relayRaw } from './relay.js';
import { upstreamProblems } from './upstream.problems.js';

export type UpstreamService = 'orders' | 'inventory' | 'payments' | 'logistics' | 'after-sales';

export interface UpstreamResponse<T = unknown> {
  status: number;
  contentType: string;
  body: T;
  /** The service's Retry-After, handed on to the caller with its 429 or 503. */
  retryAfter?: string;
}

export interface RawUpstreamResponse {
  status: number;
  contentType: string;
  body: Buffer;
  retryAfter?: string;
}

export interface RawUpstreamRequest {
  method?: 'GET' | 'POST';
  path: string;
  /** Caller headers (x-mallard-*, idempotency-key) go into the token; the others are sent, e.g. content-type. */
  headers?: Record<string, string | undefined>;
  body?: Buffer;
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
 *
 * Every call carries a service token (libs/platform/src/auth) for that service and that very
 * request. The caller headers the controllers set (x-mallard-buyer, x-mallard-actor,
 * x-mallard-order, idempotency-key) and the authenticated caller's roles go inside the token,
 * not on the wire: the service reads them back from the verified token.
 */
@Injectable()
export class Upstreams implements OnApplicationShutdown {
  /**
   * One keep-alive connection pool per service: no connection set-up on the hot path. A service
   * given several URLs gets a pool per instance, balanced: round robin, an instance that fails to
   * answer is tried less until it answers again.
   */
  private readonly pools: Record<UpstreamService, Pool | BalancedPool>;
  private readonly serviceTokens: ServiceTokens;

  constructor(config: GatewayConfig) {
    this.serviceTokens = new ServiceTokens(serviceTokenSecretOf(config));
    const options = { connections: 64, keepAliveTimeout: 30_000, headersTimeout: 10_000, bodyTimeout: 10_000 };
    const pool = (urls: string[]): Pool | BalancedPool =>
      urls.length === 1 ? new Pool(urls[0], options) : new BalancedPool(urls, options);
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

  /**
   * The Authorization header value for one internal request, for callers that do not go
   * through call() (the webhook relay forwards raw bytes).
   */
  authorization(service: UpstreamService, method: string, path: string, callerHeaders: Record<string, string | undefined> = {}): string {
    const caller = callerFromHeaders(callerHeaders, currentCaller()?.roles);
    return `Bearer ${this.serviceTokens.sign({ audience: service, method, path, caller })}`;
  }

  /** Calls the service and answers the front end with what it answered (see relay). */
  async forward<T = unknown>(reply: FastifyReply, service: UpstreamService, request: UpstreamRequest): Promise<T> {
    return relay(reply, await this.call<T>(service, request));
  }

  /**
   * Posts bytes as they are (a provider's webhook, whose signature covers every byte) through the
   * service's pool, under a service token; answers the service's status, content type and bytes.
   * Throws when the service does not answer: the caller decides what the provider is told.
   */
  async postRaw(service: UpstreamService, path: string, body: Buffer, headers: Record<string, string>): Promise<RawUpstreamResponse> {
    return this.raw(service, { method: 'POST', path, body, headers });
  }

  /**
   * A call whose bodies are bytes, not JSON (files sent or fetched as they are): signed like call(),
   * the caller headers inside the token and never on the wire; answers the service's status, content
   * type and bytes. Throws when the service does not answer.
   */
  async raw(service: UpstreamService, request: RawUpstreamRequest): Promise<RawUpstreamResponse> {
    const method = request.method ?? 'GET';
    const headers: Record<string, string> = {};
    const signed = new Set<string>(CALLER_HEADERS);
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined && !signed.has(name.toLowerCase())) headers[name] = value;
    }
    headers[SERVICE_TOKEN_HEADER] = this.authorization(service, method, request.path, lowerCaseKeys(request.headers ?? {}));
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    const response = await this.pools[service].request({ path: request.path, method, headers, body: request.body });
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      contentType: String(response.headers['content-type'] ?? 'application/json'),
      body: Buffer.from(await response.body.arrayBuffer()),
      ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
    };
  }

  /** Calls with bytes (see raw) and answers the front end with what the service answered (see relayRaw). */
  async forwardRaw(
    reply: FastifyReply,
    service: UpstreamService,
    request: RawUpstreamRequest,
    successHeaders: Record<string, string> = {},
  ): Promise<void> {
    let response: RawUpstreamResponse;
    try {
      response = await this.raw(service, request);
    } catch (error) {
      throw upstreamProblems.backOfficeUnavailable(service, error);
    }
    await relayRaw(reply, response, successHeaders);
  }

  async call<T = unknown>(service: UpstreamService, request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const method = request.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json' };
    const signed = new Set<string>(CALLER_HEADERS);
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined && !signed.has(name.toLowerCase())) headers[name] = value;
    }
    headers[SERVICE_TOKEN_HEADER] = this.authorization(service, method, request.path, lowerCaseKeys(request.headers ?? {}));
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.pools[service].request({
        path: request.path,
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const contentType = String(response.headers['content-type'] ?? 'application/json');
      const text = await response.body.text();
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode,
        contentType,
        body: (text ? JSON.parse(text) : null) as T,
        ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
      };
    } catch (error) {
      throw upstreamProblems.backOfficeUnavailable(service, error);
    }
  }
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
