/**
 * Whether a captured payment pays exactly the order it names. Pure: the saga asks it before it
 * marks an order paid, so an order is never PAID for less (or in another currency) than it costs.
 */
export interface PayableOrder {
  payable: number;
  currency: string;
}

export interface CapturedPayment {
  amountMinor: number;
  currency: string;
}

export type PaymentMismatch = 'AMOUNT' | 'CURRENCY';

/** What differs between the payment and the order; empty when it pays the order exactly. */
export function paymentMismatches(order: PayableOrder, payment: CapturedPayment): PaymentMismatch[] {
  const mismatches: PaymentMismatch[] = [];
  if (payment.currency !== order.currency) mismatches.push('CURRENCY');
  if (payment.amountMinor !== order.payable) mismatches.push('AMOUNT');
  return mismatches;
}
