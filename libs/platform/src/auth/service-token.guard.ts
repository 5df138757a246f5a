import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '../public-route.js';
import { CALLER_HEADERS, headersOfCaller, SERVICE_TOKEN_HEADER, ServiceTokenRejectedError, type ServiceTokens } from './service-token.js';
import { serviceTokenProblems } from './service-token.problems.js';

interface InternalRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Closed by default, in every service but the gateway: a route answers only a request that
 * carries a valid service token for this service and this very request, unless it is a
 * `@PublicRoute()` (health, metrics). A refusal is 401 problem+json and nothing runs.
 *
 * On success the loose caller headers are replaced by the token's claims (see
 * internal-headers.ts): what a controller reads as `x-mallard-buyer` is what the gateway
 * signed, whatever the network added.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ServiceTokens,
    private readonly serviceName: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<InternalRequest>();
    const authorization = request.headers[SERVICE_TOKEN_HEADER];
    for (const name of [...CALLER_HEADERS, SERVICE_TOKEN_HEADER]) delete request.headers[name];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    try {
      const { caller } = this.tokens.verify(authorization, { audience: this.serviceName, method: request.method, path: request.url });
      Object.assign(request.headers, headersOfCaller(caller));
      return true;
    } catch (error) {
      if (!(error instanceof ServiceTokenRejectedError)) throw error;
      throw error.reason === 'missing' ? serviceTokenProblems.required(error) : serviceTokenProblems.rejected(error);
    }
  }
}
