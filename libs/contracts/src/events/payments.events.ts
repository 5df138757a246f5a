import { IsInt, IsISO8601, IsString, IsUUID, Matches, Min } from 'class-validator';
import { CURRENCY_PATTERN } from '../commerce.js';
import { defineEvent } from '../event-registry.js';
import { Topics } from '../topics.js';

export class PaymentSucceededV1 {
  @IsUUID() orderId: string;
  @IsString() paymentId: string;
  @IsInt() @Min(1) amountMinor: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsISO8601() succeededAt: string;
}

export const paymentSucceeded = defineEvent({
  type: 'payment.succeeded',
  version: 1,
  topic: Topics.payments,
  payload: PaymentSucceededV1,
  description: 'The money for a parent order was captured in full. Key: orderId.',
});

export const PAYMENT_EVENTS = [paymentSucceeded];
