import { TransitionRefusedError } from '@mallard/platform';
import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { Payment } from '../payment/payment.entity.js';
import { PaymentLog } from './payment-log.service.js';

/** A manager that fails the test if the log writes anything: a refused move must not reach the database. */
const untouchable = new Proxy({} as EntityManager, {
  get: (_target, property) => {
    throw new Error(`the database was used (${String(property)})`);
  },
});
const payment = (state: Payment['state']) => ({ id: 'p1', orderId: 'o1', state }) as Payment;

describe('PaymentLog', () => {
  const log = new PaymentLog();

  it('refuses a move the payment machine does not allow, before writing anything', async () => {
    const failed = payment('FAILED');
    await expect(log.tryTransition(untouchable, failed, 'SUCCEEDED', 'late')).rejects.toThrow(TransitionRefusedError);
    await expect(log.transition(untouchable, failed, 'CANCELLED', 'late')).rejects.toMatchObject({
      machine: 'payment',
      from: 'FAILED',
      to: 'CANCELLED',
    });
    expect(failed.state).toBe('FAILED');
  });

  it('refuses a move to the state the payment is already in, unless the table lists it', async () => {
    await expect(log.tryTransition(untouchable, payment('SUCCEEDED'), 'SUCCEEDED', 'again')).rejects.toThrow(TransitionRefusedError);
    await expect(log.transition(untouchable, payment('REFUNDED'), 'REFUNDED', 'again')).rejects.toThrow(
      'payment: cannot go from REFUNDED to REFUNDED',
    );
  });
});
