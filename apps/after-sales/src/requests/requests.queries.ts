import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { EvidenceService } from '../evidence/evidence.service.js';
import { EvidenceFile } from '../evidence/evidence-file.entity.js';
import type { EvidenceViewer } from '../evidence/evidence-url.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { AfterSalesRequest } from './after-sales-request.entity.js';
import { AfterSalesStep } from './after-sales-step.entity.js';
import { type AfterSalesRequestView, toRequestView } from './request.view.js';
import { requestProblems } from './requests.problems.js';

/** Who reads: a shopper (their own requests only) or staff (any); evidence links are signed for them alone. */
export type Viewer = EvidenceViewer;

export const STAFF_VIEWER: Viewer = { kind: 'customer-service' };
export const viewerOf = (buyerId: string | undefined): Viewer => (buyerId === undefined ? STAFF_VIEWER : { kind: 'buyer', buyerId });

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

  async forOrder(manager: EntityManager, orderId: string, viewer: Viewer): Promise<AfterSalesRequestView[]> {
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
