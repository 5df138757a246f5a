import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RefundWorker } from './refund.worker.js';
import { RefundRejected, type RefundRequestInput, RefundService } from './refunds.service.js';

/**
 * Refunds other services ask for by event (orders' refund.requested, after-sales'
 * after-sales.refund-requested): one path for all of them. Made along the original route, or
 * refused and recorded, so `refund.failed` answers and a redelivery is refused the same way
 * without another look. Idempotent by the requester's refundId (SYSTEM key space).
 */
@Injectable()
export class EventRefunds {
  constructor(
    private readonly refunds: RefundService,
    private readonly worker: RefundWorker,
  ) {}

  async request(manager: EntityManager, request: Omit<RefundRequestInput, 'source' | 'requestedBy'>): Promise<void> {
    const input: RefundRequestInput = { ...request, source: 'EVENT' };
    try {
      const outcome = await this.refunds.request(manager, input);
      if (outcome.needsDispatch) setImmediate(() => this.worker.wake());
    } catch (error) {
      if (!(error instanceof RefundRejected)) throw error;
      await this.refunds.reject(manager, input, error);
    }
  }
}
