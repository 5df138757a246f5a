/**
 * How long a scrape waits for a measurement (the database's or Kafka's answer) before it reports
 * the last figures it had: within Prometheus' scrape timeout (10 s by default) with room to spare,
 * even when the pool cannot hand out a connection.
 */
export const SCRAPE_BUDGET_MS = 2_000;

/** `promise`, or a rejection once `ms` have passed; the work behind it is not cancelled. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
