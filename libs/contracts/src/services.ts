/**
 * The services of the suite, their default HTTP ports and their default database names.
 * Launchers, docker-compose.yml, the Kubernetes manifests and the tests all read this list,
 * so a new service is added here first.
 */
export const SERVICES = {
  gateway: { port: 3000, database: 'mallard_gateway' },
  orders: { port: 3001, database: 'mallard_orders' },
  inventory: { port: 3002, database: 'mallard_inventory' },
  payments: { port: 3003, database: 'mallard_payments' },
  logistics: { port: 3004, database: 'mallard_logistics' },
  'after-sales': { port: 3005, database: 'mallard_after_sales' },
} as const;

export type ServiceName = keyof typeof SERVICES;

export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/**
 * A local scale-out runs more instances of a service on one machine (MALLARD_INSTANCES, the
 * local launcher): instance n (from 2) of a service listens on its port + 100·(n − 1), so a
 * benchmark finds every instance by port.
 */
export const MAX_LOCAL_INSTANCES = 4;

export function instancePort(port: number, instance: number): number {
  return port + 100 * (instance - 1);
}
