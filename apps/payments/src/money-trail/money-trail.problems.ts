import { paymentProblems } from '../payment/payment.problems.js';

/** An order payments knows nothing of is answered as the pay route answers it: one type, defined once. */
export const moneyTrailProblems = {
  orderNotFound: paymentProblems.orderNotFound,
};
