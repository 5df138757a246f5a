import { v7 } from 'uuid';

/**
 * The id of anything Mallard makes and keeps: orders, lines, sub-orders, parcels, payments,
 * refunds, after-sales requests, evidence files, events. A UUID version 7 (RFC 9562): it starts
 * with the millisecond it was made, so ids made later sort later and an index keyed by one takes
 * new rows in one small region at its top. Random (version 4) ids put each new row on a random
 * page of every such index; once a year of orders outgrows the database's cache, each insert
 * first reads a page back in (docs/benchmarks.md, "Growth check").
 *
 * What an id gives away: when it was made, and that ids made in the same millisecond by one
 * process were made together (the package counts up from a random start within a millisecond,
 * leaving at least 42 random bits each). Nothing in Mallard takes an id as proof of anything:
 * reads check who owns the order, and evidence links are signed and expire. Screens that show
 * a short id show its last characters, which differ; the first ones are shared for a minute.
 */
export function newId(): string {
  return v7();
}
