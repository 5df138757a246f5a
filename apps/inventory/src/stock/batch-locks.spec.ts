import {
  exchangeRequested,
  orderCancelled,
  orderPaid,
  orderPlaced,
  replacementRestockRequested,
  restockRequested,
  returnInspected,
} from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { stockOfRun } from './batch-locks.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const lines = (...skuIds: string[]) => skuIds.map((skuId) => ({ skuId, quantity: 1 }));

describe('the stock a run of inventory events locks', () => {
  it('locks the orders of the holds events, and every SKU the lines name, each once and sorted', () => {
    expect(
      stockOfRun([
        { type: orderPlaced.type, data: { orderId: B, lines: lines('sku-c', 'sku-a') } },
        { type: orderPlaced.type, data: { orderId: A, lines: lines('sku-b', 'sku-a') } },
      ]),
    ).toEqual({ orderIds: [A, B], skuIds: ['sku-a', 'sku-b', 'sku-c'], holdsOf: [] });
  });

  it('locks the levels a paid or cancelled order holds, which a cancellation does not name', () => {
    expect(
      stockOfRun([
        { type: orderCancelled.type, data: { orderId: B } },
        { type: orderPaid.type, data: { orderId: A, lines: lines('sku-z') } },
      ]),
    ).toEqual({ orderIds: [A, B], skuIds: ['sku-z'], holdsOf: [A, B] });
  });

  it('locks no order record for restocks, returns and exchanges, only their SKUs', () => {
    expect(
      stockOfRun([
        { type: restockRequested.type, data: { orderId: A, lines: lines('sku-r') } },
        { type: replacementRestockRequested.type, data: { orderId: A, lines: lines('sku-q') } },
        { type: returnInspected.type, data: { orderId: B, lines: lines('sku-p') } },
        { type: exchangeRequested.type, data: { orderId: B, lines: lines('sku-o') } },
      ]),
    ).toEqual({ orderIds: [], skuIds: ['sku-o', 'sku-p', 'sku-q', 'sku-r'], holdsOf: [] });
  });

  it('locks nothing for an event that changes no stock', () => {
    expect(stockOfRun([{ type: 'sku.upserted', data: { skuId: 'sku-a' } }])).toEqual({ orderIds: [], skuIds: [], holdsOf: [] });
  });
});
