import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestWithUser } from './bearer-authenticator.js';

/**
 * The authenticated caller, `{ id, roles }`. Always set behind the auth guard; on a
 * `@Public()` route it is `undefined` unless the caller sent a valid token anyway.
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<RequestWithUser>().user,
);
