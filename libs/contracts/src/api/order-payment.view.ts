/**
 * Orders' word on an order for taking money for it: what the gateway reads from orders
 * (`GET /internal/orders/:id?view=payment`) before each payment and passes on to payments. Its
 * fields are a subset of the full order view with the same names, so a gateway reading it from
 * an orders instance that ignores `view` (the release before it, during a rolling update) reads
 * the same fields out of the full view.
 */
export interface OrderPaymentView {
  id: string;
  buyerId: string;
  /** Orders' state now: payments refuses an order orders has closed. */
  state: string;
  currency: string;
  amounts: { payable: number };
  placedAt: string;
  paymentDueAt: string;
}

/** The views of one order that orders answers at `GET /internal/orders/:id`. */
export const ORDER_VIEWS = ['full', 'payment'] as const;
export type OrderViewName = (typeof ORDER_VIEWS)[number];
