import { v7 } from 'uuid';

/**
 * The id of anything Mallard makes and keeps: orders, lines, sub-orders, parcels, payments,
 * refunds, after-sales requests, events. A UUID version 7 (RFC 9562): it starts with the
 * moment it was made, so ids made later sort later and every index keyed by one takes new rows
 * at its right edge. Random (version 4) ids put each new row on a random page of every such
 * index; once a year of orders outgrows the database's cache, each insert then reads pages from
 * disk (docs/benchmarks.md, "Growth"). The remaining 74 bits are random, so an id still cannot
 * be guessed from another; what it gives away is when the thing was made, which whoever holds
 * the id already sees on it.
 */
export function newId(): string {
  return v7();
}
