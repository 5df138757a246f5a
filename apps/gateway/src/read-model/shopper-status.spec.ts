import { AFTER_SALES_STATES, type AfterSalesState, type OrderState, type ParcelState, type SubOrderState } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { type OrderFacts, openAfterSales, type ParcelFacts, rollUpOrderStatus, type SubOrderFacts } from './shopper-status.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const YESTERDAY = new Date('2026-03-09T12:00:00Z');
const TOMORROW = new Date('2026-03-11T12:00:00Z');

const parcel = (state: ParcelState, voided = false): ParcelFacts => ({ state, voided });
const subOrder = (state: SubOrderState, parcels: ParcelState[] = [], extra: Partial<SubOrderFacts> = {}): SubOrderFacts => ({
  state,
  parcels: parcels.map((s) => parcel(s)),
  ...extra,
});
const order = (ordersState: OrderState, subOrders: SubOrderFacts[] = [], extra: Partial<OrderFacts> = {}): OrderFacts => ({
  ordersState,
  interceptionRequested: false,
  subOrders,
  paidMinor: ordersState === 'SPLIT' || ordersState === 'PAID' || ordersState === 'FAILED' ? 7299 : 0,
  refundedMinor: 0,
  afterSalesOpen: 0,
  completesAt: null,
  ...extra,
});
const statusOf = (facts: OrderFacts, now = NOW) => rollUpOrderStatus(facts, now).status;
const flagsOf = (facts: OrderFacts) => rollUpOrderStatus(facts, NOW).flags;

describe('the shopper status table, row by row', () => {
  it('1. an order not paid yet is pending payment', () => {
    expect(statusOf(order('PLACED'))).toBe('PENDING_PAYMENT');
    expect(statusOf(order('AWAITING_PAYMENT'))).toBe('PENDING_PAYMENT');
  });

  it('2. an order cancelled before payment is closed, whoever or whatever cancelled it', () => {
    expect(statusOf(order('CANCELLED'))).toBe('CLOSED');
  });

  it('3. an order that failed after payment (stock gone, money back) is closed', () => {
    expect(statusOf(order('FAILED', [], { refundedMinor: 7299 }))).toBe('CLOSED');
  });

  it('4. a paid order not split yet is paid', () => {
    expect(statusOf(order('PAID'))).toBe('PAID');
  });

  it('5. a split order whose every sub-order was stopped is cancelled', () => {
    const stopped = order('SPLIT', [subOrder('INTERCEPTED', ['PACKED'], { interception: 'STOPPED' }), subOrder('CANCELLED')]);
    expect(statusOf(stopped)).toBe('CANCELLED');
  });

  it('6. everything shipped but every parcel refused or returned is closed', () => {
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['REJECTED', 'RETURNED_TO_SENDER']), subOrder('INTERCEPTED')]))).toBe('CLOSED');
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['RETURNING'])]))).toBe('CLOSED');
  });

  it('7. everything delivered, past its completion time and no after-sales open, is completed', () => {
    const delivered = order('SPLIT', [subOrder('SHIPPED', ['DELIVERED', 'DELIVERED'])], { completesAt: YESTERDAY });
    expect(statusOf(delivered)).toBe('COMPLETED');
    expect(statusOf(delivered, delivered.completesAt ?? NOW)).toBe('COMPLETED');
  });

  it('8. everything delivered, not yet complete (time to come, after-sales open, no time known) is delivered', () => {
    const delivered = (extra: Partial<OrderFacts>) =>
      order('SPLIT', [subOrder('SHIPPED', ['DELIVERED']), subOrder('SHIPPED', ['DELIVERED', 'REJECTED'])], extra);
    expect(statusOf(delivered({ completesAt: TOMORROW }))).toBe('DELIVERED');
    expect(statusOf(delivered({ completesAt: YESTERDAY, afterSalesOpen: 1 }))).toBe('DELIVERED');
    expect(statusOf(delivered({ completesAt: null }))).toBe('DELIVERED');
  });

  it('9. one parcel delivered while another is still on its way is partially delivered', () => {
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['DELIVERED', 'IN_TRANSIT'])]))).toBe('PARTIALLY_DELIVERED');
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['DELIVERED']), subOrder('PACKED', ['PACKED'])]))).toBe('PARTIALLY_DELIVERED');
    // A lost parcel is still awaited: the order is not delivered.
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['DELIVERED', 'LOST'])]))).toBe('PARTIALLY_DELIVERED');
  });

  it('10. every live sub-order shipped, nothing delivered yet, is shipped', () => {
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['IN_TRANSIT', 'PICKED_UP']), subOrder('INTERCEPTED')]))).toBe('SHIPPED');
    // The sub-order's SHIPPED reached the gateway before its parcels did: shipped, never delivered or closed.
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED')]))).toBe('SHIPPED');
  });

  it('11. some live sub-order shipped or partly shipped, not all, is partially shipped', () => {
    expect(statusOf(order('SPLIT', [subOrder('SHIPPED', ['IN_TRANSIT']), subOrder('PICKING')]))).toBe('PARTIALLY_SHIPPED');
    expect(statusOf(order('SPLIT', [subOrder('PARTIALLY_SHIPPED', ['PICKED_UP', 'PACKED'])]))).toBe('PARTIALLY_SHIPPED');
  });

  it('12. a split order with nothing handed over is still paid', () => {
    expect(statusOf(order('SPLIT', [subOrder('AWAITING_PICK'), subOrder('PACKED', ['PACKED', 'LABEL_CREATED'])]))).toBe('PAID');
    expect(statusOf(order('SPLIT', [subOrder('INTERCEPTING', ['PACKED']), subOrder('CANCELLED')]))).toBe('PAID');
    // The split reached the gateway before its sub-orders: not cancelled.
    expect(statusOf(order('SPLIT'))).toBe('PAID');
  });
});

describe('the flags', () => {
  describe('interception', () => {
    it('is NONE when the shopper never asked to stop the order', () => {
      expect(flagsOf(order('SPLIT', [subOrder('PICKING')])).interception).toBe('NONE');
    });

    it('is IN_PROGRESS while asked and some sub-order has no answer yet, or is being stopped', () => {
      expect(flagsOf(order('PAID', [], { interceptionRequested: true })).interception).toBe('IN_PROGRESS');
      const asked = { interceptionRequested: true };
      expect(flagsOf(order('SPLIT', [subOrder('PACKED'), subOrder('SHIPPED', [], { interception: 'REFUSED' })], asked)).interception).toBe(
        'IN_PROGRESS',
      );
      expect(
        flagsOf(order('SPLIT', [subOrder('INTERCEPTING', [], { interception: 'REQUESTED' }), subOrder('INTERCEPTED')])).interception,
      ).toBe('IN_PROGRESS');
    });

    it('is STOPPED when every sub-order stopped', () => {
      const stopped = order('SPLIT', [subOrder('INTERCEPTED', [], { interception: 'STOPPED' }), subOrder('CANCELLED')], {
        interceptionRequested: true,
      });
      expect(flagsOf(stopped).interception).toBe('STOPPED');
    });

    it('is REFUSED when no sub-order stopped', () => {
      const refused = order('SPLIT', [subOrder('SHIPPED', ['IN_TRANSIT'], { interception: 'REFUSED' })], { interceptionRequested: true });
      expect(flagsOf(refused).interception).toBe('REFUSED');
    });

    it('is PARTIAL when some stopped and some were refused', () => {
      const partial = order(
        'SPLIT',
        [subOrder('INTERCEPTED', [], { interception: 'STOPPED' }), subOrder('SHIPPED', [], { interception: 'REFUSED' })],
        {
          interceptionRequested: true,
        },
      );
      expect(flagsOf(partial).interception).toBe('PARTIAL');
    });
  });

  describe('refunded', () => {
    it('is NONE when nothing came back, PARTIAL for part of it, FULL for all of it', () => {
      expect(flagsOf(order('SPLIT', [], { paidMinor: 7299, refundedMinor: 0 })).refunded).toBe('NONE');
      expect(flagsOf(order('SPLIT', [], { paidMinor: 7299, refundedMinor: 2300 })).refunded).toBe('PARTIAL');
      expect(flagsOf(order('SPLIT', [], { paidMinor: 7299, refundedMinor: 7299 })).refunded).toBe('FULL');
      expect(flagsOf(order('FAILED', [], { paidMinor: 0, refundedMinor: 0 })).refunded).toBe('NONE');
    });
  });

  describe('exception', () => {
    it('is raised by a live parcel in exception, failed delivery or lost', () => {
      for (const state of ['EXCEPTION', 'DELIVERY_FAILED', 'LOST'] as const) {
        expect(flagsOf(order('SPLIT', [subOrder('SHIPPED', ['IN_TRANSIT', state])])).exception, state).toBe(true);
      }
      expect(flagsOf(order('SPLIT', [subOrder('SHIPPED', ['IN_TRANSIT', 'OUT_FOR_DELIVERY'])])).exception).toBe(false);
    });

    it('is raised by a failed platform purchase of a live sub-order', () => {
      expect(flagsOf(order('SPLIT', [subOrder('AWAITING_PICK', [], { purchaseFailed: true })])).exception).toBe(true);
      expect(flagsOf(order('SPLIT', [subOrder('CANCELLED', [], { purchaseFailed: true })])).exception).toBe(false);
    });
  });

  describe('afterSales', () => {
    it('is raised while an after-sales case is open', () => {
      expect(flagsOf(order('SPLIT', [subOrder('SHIPPED', ['DELIVERED'])], { afterSalesOpen: 1 })).afterSales).toBe(true);
      expect(flagsOf(order('SPLIT', [subOrder('SHIPPED', ['DELIVERED'])])).afterSales).toBe(false);
    });

    it('counts as open every request not refunded, exchanged, rejected or closed', () => {
      const open: AfterSalesState[] = [
        'REQUESTED',
        'AWAITING_EVIDENCE',
        'APPROVED',
        'RETURN_SHIPPED',
        'RETURN_RECEIVED',
        'REFUNDING',
        'EXCHANGING',
      ];
      const ended: AfterSalesState[] = ['REFUNDED', 'EXCHANGED', 'REJECTED', 'CLOSED'];
      expect([...open, ...ended].sort()).toEqual([...AFTER_SALES_STATES].sort());
      for (const state of open) expect(openAfterSales([{ state }]), state).toBe(1);
      for (const state of ended) expect(openAfterSales([{ state }]), state).toBe(0);
      expect(openAfterSales([])).toBe(0);
      expect(openAfterSales([{ state: 'REFUNDED' }, { state: 'APPROVED' }, { state: 'REQUESTED' }, { state: 'CLOSED' }])).toBe(2);
    });

    it('keeps a delivered order open past its completion time until its last request ends', () => {
      const delivered = (requests: AfterSalesState[]) =>
        order('SPLIT', [subOrder('SHIPPED', ['DELIVERED'])], {
          completesAt: YESTERDAY,
          afterSalesOpen: openAfterSales(requests.map((state) => ({ state }))),
        });
      expect(rollUpOrderStatus(delivered(['REFUNDED', 'RETURN_SHIPPED']), NOW)).toMatchObject({
        status: 'DELIVERED',
        flags: { afterSales: true },
      });
      expect(rollUpOrderStatus(delivered(['REFUNDED', 'REJECTED']), NOW)).toMatchObject({
        status: 'COMPLETED',
        flags: { afterSales: false },
      });
    });
  });
});
