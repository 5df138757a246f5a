import { SetMetadata } from '@nestjs/common';

/**
 * Marks a route (or controller) as open to anonymous callers: health, metrics, docs and
 * webhooks (which authenticate by signature instead). The gateway's auth guard honours it.
 */
export const PUBLIC_ROUTE = 'mallard:public-route';
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
