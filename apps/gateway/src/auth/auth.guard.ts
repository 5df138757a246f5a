import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authenticationRequired, insufficientRole, tokenRejected } from './auth.problems.js';
import { BearerAuthenticator, type RequestWithUser } from './bearer-authenticator.js';
import { rememberCaller } from './caller-context.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { ROLES_KEY } from './roles.decorator.js';
import { hasAnyRole, type Role } from './roles.js';

/**
 * Closed by default: a route is reachable only with a valid token unless it is marked
 * `@Public()`, so a forgotten decorator fails safe (401) rather than open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(BearerAuthenticator) private readonly authenticator: BearerAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const outcome = this.authenticator.authenticate(context.switchToHttp().getRequest<RequestWithUser>());
    if (outcome.kind === 'authenticated') rememberCaller(outcome.user);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    if (outcome.kind === 'anonymous') throw authenticationRequired();
    if (outcome.kind === 'rejected') throw tokenRejected(outcome.reason);
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && required.length > 0 && !hasAnyRole(outcome.user, required)) throw insufficientRole(required);
    return true;
  }
}
