import { createRequire } from 'node:module';

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

const require = createRequire(import.meta.url);
/** kafkajs's per-connection request queue (not part of its typed API; kafkajs has no `exports` map). */
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueInternals };

let fixed = false;

/**
 * kafkajs 2.2.4, its last release, re-arms a timer for "pending requests" on every connection
 * even when nothing is pending and nothing is throttled, with a negative delay, so each broker
 * connection runs a timer loop for as long as it is open (tulios/kafkajs#1556; the fix in
 * tulios/kafkajs#1667 was never merged). Measured here, it was most of each service's CPU at
 * rest. A later check matters only while requests wait in the queue or the broker throttles
 * the connection; both paths keep kafkajs's own behaviour, and a request that cannot be sent at
 * once is queued through `push`, which schedules the check again.
 */
export function fixKafkaJsIdleLoop(): void {
  if (fixed) return;
  const original = RequestQueue.prototype.scheduleCheckPendingRequests;
  if (typeof original !== 'function') {
    throw new Error('kafkajs changed: RequestQueue.scheduleCheckPendingRequests is gone; review fixKafkaJsIdleLoop');
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  fixed = true;
}
