import { afterSalesRefundRequested, orderCancelled, orderPlaced, refundRequested } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { ordersLockedByRun } from './batch-locks.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const C = '0190a000-0000-7000-8000-00000000000c';

describe('the orders a run of payments events locks first', () => {
  it('takes the orders of cancellations and refunds, each once and sorted', () => {
    expect(
      ordersLockedByRun([
        { type: refundRequested.type, data: { orderId: C } },
        { type: orderCancelled.type, data: { orderId: A } },
        { type: refundRequested.type, data: { orderId: C } },
        { type: afterSalesRefundRequested.type, data: { orderId: B } },
      ]),
    ).toEqual([A, B, C]);
  });

  it('takes two events of one order too: a refund holding the account, then its cancellation asking for the order’s row', () => {
    expect(
      ordersLockedByRun([
        { type: refundRequested.type, data: { orderId: B } },
        { type: orderCancelled.type, data: { orderId: B } },
      ]),
    ).toEqual([B]);
  });

  it('takes nothing for placements, which lock no row, nor for a run with one locking event, whose handler keeps the order itself', () => {
    expect(
      ordersLockedByRun([
        { type: orderPlaced.type, data: { orderId: A } },
        { type: orderPlaced.type, data: { orderId: B } },
      ]),
    ).toEqual([]);
    expect(
      ordersLockedByRun([
        { type: orderPlaced.type, data: { orderId: A } },
        { type: orderCancelled.type, data: { orderId: B } },
        { type: orderPlaced.type, data: { orderId: C } },
      ]),
    ).toEqual([]);
  });
});
