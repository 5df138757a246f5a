/**
 * Who may call the gateway. Staff roles are distinct from `admin` on purpose: a route lists
 * every role it admits, so reading a controller tells exactly who reaches it.
 */
export const ROLES = ['shopper', 'customer-service', 'warehouse', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** The caller of an authenticated request; `id` is the token's subject. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly roles: readonly Role[];
  /** The warehouses (and drop-ship merchants) a `warehouse` staff member works for (token claim `warehouses`). */
  readonly warehouses?: readonly string[];
}

export function isRole(candidate: unknown): candidate is Role {
  return typeof candidate === 'string' && (ROLES as readonly string[]).includes(candidate);
}

export function hasAnyRole(user: AuthenticatedUser, required: readonly Role[]): boolean {
  return required.some((role) => user.roles.includes(role));
}
