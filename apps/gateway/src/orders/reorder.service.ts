import { BUYER_HEADER } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { forwardedProblem } from '../upstream/upstream.problems.js';
import { type UpstreamResponse, Upstreams } from '../upstream/upstreams.js';
import { reorderProblems } from './orders.problems.js';
import type { ReorderRequest } from './orders.requests.js';
import { buildReorderProposal, type CurrentSku, type ReorderLine } from './reorder-proposal.js';

interface PastOrder {
  receiver: unknown;
  paymentMethod: string;
  lines: { skuId: string; name: string; quantity: number; unitPrice: number }[];
}

interface InventorySku {
  id: string;
  name: string;
  priceMinor: number;
  onShelf: boolean;
  stock: { available: number };
}

export interface ReorderResult {
  proposal: ReorderLine[];
  order?: UpstreamResponse;
}

/** Composes "buy again" from the old order (orders) and today's SKUs and stock (inventory). */
@Injectable()
export class ReorderService {
  constructor(private readonly upstreams: Upstreams) {}

  async reorder(buyerId: string, orderId: string, request: ReorderRequest, idempotencyKey: string | undefined): Promise<ReorderResult> {
    const past = await this.upstreams.call<PastOrder>('orders', {
      path: `/internal/orders/${orderId}`,
      headers: { [BUYER_HEADER]: buyerId },
    });
    if (past.status !== 200) throw forwardedProblem('orders', past);
    const ids = [...new Set(past.body.lines.map((line) => line.skuId))];
    const skus = await this.upstreams.call<{ items: InventorySku[] }>('inventory', {
      path: `/internal/skus?ids=${ids.map(encodeURIComponent).join(',')}`,
    });
    if (skus.status !== 200) throw forwardedProblem('inventory', skus);
    const current = new Map<string, CurrentSku>(
      skus.body.items.map((sku) => [
        sku.id,
        { skuId: sku.id, name: sku.name, priceMinor: sku.priceMinor, onShelf: sku.onShelf, available: sku.stock.available },
      ]),
    );
    const proposal = buildReorderProposal(past.body.lines, current);
    if (!request.place) return { proposal };

    const ok = proposal.filter((line) => line.status === 'OK');
    if (ok.length === 0) {
      throw reorderProblems.nothingToReorder(proposal);
    }
    const order = await this.upstreams.call('orders', {
      method: 'POST',
      path: '/internal/orders',
      headers: { [BUYER_HEADER]: buyerId, 'idempotency-key': idempotencyKey },
      body: {
        lines: ok.map((line) => ({ skuId: line.skuId, quantity: line.quantity })),
        receiver: request.receiver ?? past.body.receiver,
        paymentMethod: request.paymentMethod ?? past.body.paymentMethod,
      },
    });
    // A refused placement is the caller's problem+json (a reused key, a closed shop), not a proposal.
    if (order.status >= 300) throw forwardedProblem('orders', order);
    return { proposal, order };
  }
}
