/**
 * How long a worker waits before trying a failed call again, after `attempts` failed ones: `firstMs`,
 * then doubling, never more than `maxMs`. One rule for every outbound call a worker retries (provider
 * refunds, tracking registrations, platform purchases), each with its own first wait and cap.
 */
export function retryBackoffMs(attempts: number, { firstMs, maxMs }: { firstMs: number; maxMs: number }): number {
  return Math.min(firstMs * 2 ** Math.max(attempts - 1, 0), maxMs);
}
