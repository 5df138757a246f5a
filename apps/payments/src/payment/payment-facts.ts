import type { Payment } from './payment.entity.js';

/** What every payment.succeeded and payment.failed opens with: which payment, of which order, for how much. */
export function paymentFacts(payment: Pick<Payment, 'id' | 'orderId' | 'amountMinor' | 'currency'>) {
  return { orderId: payment.orderId, paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency };
}
