import { WAREHOUSES_HEADER } from '@mallard/platform';
import type { AuthenticatedUser } from '../auth/index.js';

/**
 * Warehouse staff work only on the sub-orders and parcels of the warehouses their token names
 * (none when it names none); logistics answers any other as not found. Admins and customer
 * service are not limited.
 */
export function scopeOf(user: AuthenticatedUser): Record<string, string> {
  if (user.roles.includes('admin') || user.roles.includes('customer-service')) return {};
  return { [WAREHOUSES_HEADER]: (user.warehouses ?? []).join(',') };
}
