import type { AfterSalesReason, AfterSalesType, ReturnShippingPayer } from '@mallard/contracts';

/**
 * Who is at fault, and so who pays for sending goods back (docs/domain.md §8). Every reason but a
 * change of mind is the seller's: the goods were damaged, wrong, missing, not as described, of poor
 * quality, or never arrived. The shopper does not choose this; the reason does.
 */
export function isSellerAtFault(reason: AfterSalesReason): boolean {
  return reason !== 'CHANGED_MIND';
}

export interface ReturnShippingSettings {
  RETURN_SHIPPING_SELLER_FAULT: ReturnShippingPayer;
  RETURN_SHIPPING_CHANGED_MIND: ReturnShippingPayer;
}

export interface ReturnShipping {
  payer: ReturnShippingPayer;
  explanation: string;
}

/**
 * Who pays for the return parcel: the same rule for a return and for an exchange, so an exchange
 * for a seller's fault never charges the shopper for sending the goods back. A refund only sends
 * nothing back (null).
 */
export function returnShippingFor(type: AfterSalesType, reason: AfterSalesReason, settings: ReturnShippingSettings): ReturnShipping | null {
  if (type === 'REFUND_ONLY') return null;
  if (isSellerAtFault(reason)) {
    const payer = settings.RETURN_SHIPPING_SELLER_FAULT;
    return { payer, explanation: `The seller is at fault (${reason}): ${payerWords(payer)} the return shipping.` };
  }
  const payer = settings.RETURN_SHIPPING_CHANGED_MIND;
  return { payer, explanation: `A change of mind: ${payerWords(payer)} the return shipping.` };
}

const payerWords = (payer: ReturnShippingPayer): string => (payer === 'MERCHANT' ? 'the merchant pays' : 'you pay');
