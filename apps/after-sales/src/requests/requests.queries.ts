import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { EvidenceService } from '../evidence/evidence.service.js';
import { EvidenceFile } from '../evidence/evidence-file.entity.js';
import type { EvidenceViewer } from '../evidence/evidence-url.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { Purchase } from '../purchases/purchase.entity.js';
import { AfterSalesRequest } from './after-sales-request.entity.js';
import { AfterSalesStep } from './after-sales-step.entity.js';
import { type AfterSalesRequestView, toRequestView } from './request.view.js';
import { requestProblems } from './requests.problems.js';

/** Who reads: a shopper (their own requests only) or staff (any); evidence links are signed for them alone. */
export type Viewer = EvidenceViewer;

export const STAFF_VIEWER: Viewer = { kind: 'customer-service' };
const STAFF_ROLES = ['customer-service', 'admin', 'warehouse'];

/**
 * The caller of a read, from the verified service token's claims: a shopper (buyer header) sees
 * their own; staff are known by their role, never by a missing header alone, so a route that
 * forgot the buyer could not hand a shopper the staff's view.
 */
export function viewerOf(buyerId: string | undefined, roles: string | undefined, requestId: string): Viewer {
  if (buyerId !== undefined) return { kind: 'buyer', buyerId };
  if ((roles ?? '').split(',').some((role) => STAFF_ROLES.includes(role))) return STAFF_VIEWER;
  throw requestProblems.requestNotFound(requestId);
}

@Injectable()
export class RequestQueries {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly evidence: EvidenceService,
  ) {}

  async get(manager: EntityManager, requestId: string, viewer: Viewer): Promise<AfterSalesRequestView> {
    const request = await manager.findOne(AfterSalesRequest, { where: { id: requestId } });
    if (!request || (viewer.kind === 'buyer' && request.buyerId !== viewer.buyerId)) throw requestProblems.requestNotFound(requestId);
    return this.view(manager, request, viewer);
  }

  /** A shopper asking about another's order, or one after-sales does not know, is told it does not exist. */
  async forOrder(manager: EntityManager, orderId: string, viewer: Viewer): Promise<AfterSalesRequestView[]> {
    const purchase = await manager.findOne(Purchase, { where: { orderId } });
    if (!purchase || (viewer.kind === 'buyer' && purchase.buyerId !== viewer.buyerId)) throw requestProblems.orderNotFound(orderId);
    const requests = await manager.find(AfterSalesRequest, {
      where: { orderId, ...(viewer.kind === 'buyer' ? { buyerId: viewer.buyerId } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return this.views(manager, requests, viewer);
  }

  async view(manager: EntityManager, request: AfterSalesRequest, viewer: Viewer): Promise<AfterSalesRequestView> {
    const [view] = await this.views(manager, [request], viewer);
    return view;
  }

  async views(manager: EntityManager, requests: readonly AfterSalesRequest[], viewer: Viewer): Promise<AfterSalesRequestView[]> {
    if (requests.length === 0) return [];
    const ids = requests.map((request) => request.id);
    const steps = await manager.find(AfterSalesStep, { where: { requestId: In(ids) }, order: { id: 'ASC' } });
    const contacts = await this.merchants.contacts(
      manager,
      requests.map((request) => request.merchantId),
    );
    const files = await manager.find(EvidenceFile, { where: { requestId: In(ids) }, order: { position: 'ASC' } });
    const now = new Date();
    return requests.map((request) =>
      toRequestView(
        request,
        steps.filter((step) => step.requestId === request.id),
        this.evidence.views(
          request.id,
          files.filter((file) => file.requestId === request.id),
          viewer,
          now,
        ),
        contacts.get(request.merchantId)!,
        now,
      ),
    );
  }
}
