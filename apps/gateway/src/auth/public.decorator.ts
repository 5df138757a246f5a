import { PUBLIC_ROUTE, PublicRoute } from '@mallard/platform';

/**
 * Opens a route or controller to anonymous callers. It is the platform's marker under a
 * shorter name, so /health and /metrics (marked in the platform library) and gateway routes
 * are recognised by the same key. A valid token on a public route still sets the current user.
 */
export const Public = PublicRoute;
export const IS_PUBLIC_KEY = PUBLIC_ROUTE;
