import { BUYER_HEADER } from '@mallard/platform';
import type { AuthenticatedUser } from './roles.js';

/**
 * Whose orders (and after-sales requests) a caller reads: staff (customer service, admin) any,
 * a shopper only their own, named to the service as the buyer; another's is answered 404.
 */
export function ownerScope(user: AuthenticatedUser): Record<string, string> {
  const staff = user.roles.some((role) => role === 'customer-service' || role === 'admin');
  return staff ? {} : { [BUYER_HEADER]: user.id };
}
