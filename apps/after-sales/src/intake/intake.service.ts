import { type CreateAfterSalesRequest, newId } from '@mallard/contracts';
import { fingerprint, idempotently, requireIdempotencyKey } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { AfterSalesConfig } from '../config/after-sales-config.js';
import { DeskService } from '../desk/desk.service.js';
import { EvidenceService } from '../evidence/evidence.service.js';
import type { EvidenceUpload } from '../evidence/evidence-uploads.js';
import { judgeReplacements } from '../exchanges/replacement-rule.js';
import { type OrderFacts, PurchasesService } from '../purchases/purchases.service.js';
import { AfterSalesRequest } from '../requests/after-sales-request.entity.js';
import type { AfterSalesRequestView } from '../requests/request.view.js';
import { judgeEligibility } from '../requests/request-eligibility.js';
import { isSellerAtFault, returnShippingFor } from '../requests/request-terms.js';
import { requestProblems } from '../requests/requests.problems.js';
import { RequestQueries } from '../requests/requests.queries.js';
import { type RequestActor, RequestsService } from '../requests/requests.service.js';

/** A shopper's request, from the moment it is made: judged against what was delivered and claimed, then queued or approved by rule. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly purchases: PurchasesService,
    private readonly requests: RequestsService,
    private readonly queries: RequestQueries,
    private readonly desk: DeskService,
    private readonly evidence: EvidenceService,
    private readonly catalog: CatalogService,
    private readonly config: AfterSalesConfig,
  ) {}

  /**
   * The shopper's files for a request still before customer service (REQUESTED, or
   * AWAITING_EVIDENCE, which they bring back to REQUESTED). Checked and stripped of location
   * before they are stored; auto-approval rules are judged again with the new count.
   */
  async addEvidence(requestId: string, buyerId: string, uploads: readonly EvidenceUpload[]): Promise<AfterSalesRequestView> {
    if (uploads.length === 0) throw requestProblems.evidenceMissing();
    const before = await this.dataSource.manager.findOne(AfterSalesRequest, { where: { id: requestId } });
    if (!before || before.buyerId !== buyerId) throw requestProblems.requestNotFound(requestId);
    this.mayTakeEvidence(before);
    const accepted = await this.evidence.accept(uploads, await this.evidence.count(this.dataSource, requestId));
    const shopper: RequestActor = { kind: 'SHOPPER', id: buyerId };
    const request = await this.dataSource.transaction(async (manager) => {
      const locked = await this.requests.lock(manager, requestId, buyerId);
      this.mayTakeEvidence(locked);
      const files = await this.evidence.record(manager, requestId, accepted, `buyer:${buyerId}`);
      const note = `${files.length} file(s) added`;
      const from = locked.state;
      if (from === 'AWAITING_EVIDENCE') await this.requests.move(manager, locked, 'REQUESTED', shopper, 'take evidence', { note });
      else await this.requests.recordInPlace(manager, locked, shopper, note);
      await this.requests.publish(manager, locked, 'evidenceAdded', shopper, note, from);
      // The same photo twice counts once for the evidence rule.
      const [{ distinctFiles }] = await manager.query(
        'SELECT COUNT(DISTINCT sha256)::int AS "distinctFiles" FROM evidence_file WHERE request_id = $1',
        [requestId],
      );
      await this.desk.approveAutomatically(manager, locked, distinctFiles);
      return locked;
    });
    return this.queries.view(this.dataSource.manager, request, { kind: 'buyer', buyerId });
  }

  private async checkReplacements(
    manager: EntityManager,
    facts: OrderFacts,
    merchantId: string,
    lines: readonly { lineId: string; skuId: string; replacementSkuId: string | null }[],
  ): Promise<void> {
    const unitPrice = new Map(facts.order.lines.map((line) => [line.lineId, line.unitPriceMinor]));
    const asked = lines.map((line) => ({ ...line, unitPriceMinor: unitPrice.get(line.lineId)! }));
    const catalog = await this.catalog.skus(
      manager,
      lines.flatMap((line) => (line.replacementSkuId ? [line.replacementSkuId] : [])),
    );
    const refusal = judgeReplacements(asked, merchantId, facts.order.currency, catalog);
    if (refusal) throw requestProblems.replacementRefused(refusal);
  }

  private mayTakeEvidence(request: AfterSalesRequest): void {
    if (request.state !== 'REQUESTED' && request.state !== 'AWAITING_EVIDENCE') {
      throw requestProblems.stepRefused(request.id, request.state, 'take evidence once decided');
    }
  }

  /** Once per Idempotency-Key: a retry answers with the request the first one made, as it is now. */
  async create(
    orderId: string,
    buyerId: string,
    key: string | undefined,
    body: CreateAfterSalesRequest,
  ): Promise<{ view: AfterSalesRequestView; created: boolean }> {
    requireIdempotencyKey(key);
    const stray = body.type === 'EXCHANGE' ? undefined : body.lines.find((line) => line.replacementSkuId !== undefined);
    if (stray) {
      throw requestProblems.replacementRefused({
        reason: 'NOT_AN_EXCHANGE',
        skuId: stray.replacementSkuId!,
        detail: 'only an EXCHANGE sends a replacement SKU',
      });
    }
    const requestId = newId();
    const { request, created } = await this.dataSource.transaction((manager) =>
      idempotently(
        manager,
        { scope: 'after-sales-request', requester: buyerId, key: key!, fingerprint: fingerprint({ orderId, body }), reference: requestId },
        {
          run: async () => ({ request: await this.open(manager, requestId, orderId, buyerId, body), created: true }),
          replay: async (first) => ({
            request: await manager.findOneByOrFail(AfterSalesRequest, { id: first.reference! }),
            created: false,
          }),
          reused: () => requestProblems.idempotencyKeyReused(),
        },
      ),
    );
    return { view: await this.queries.view(this.dataSource.manager, request, { kind: 'buyer', buyerId }), created };
  }

  private async open(
    manager: EntityManager,
    requestId: string,
    orderId: string,
    buyerId: string,
    body: CreateAfterSalesRequest,
  ): Promise<AfterSalesRequest> {
    if (!(await this.requests.lockOrder(manager, orderId))) throw requestProblems.orderNotFound(orderId);
    const facts = await this.purchases.facts(manager, orderId);
    if (!facts || facts.purchase.buyerId !== buyerId) throw requestProblems.orderNotFound(orderId);
    const judged = judgeEligibility({
      type: body.type,
      reason: body.reason,
      lines: body.lines,
      pieces: facts.pieces,
      parcels: facts.parcels,
      claimed: await this.purchases.claimed(manager, orderId),
      now: new Date(),
      windowDaysOf: (merchantId) => this.config.AFTER_SALES_WINDOW_DAYS_BY_MERCHANT[merchantId] ?? this.config.AFTER_SALES_WINDOW_DAYS,
      notArrivedAfterDays: this.config.NOT_ARRIVED_AFTER_DAYS,
    });
    if (!judged.eligible) throw requestProblems.notEligible(judged);
    const lines = judged.lines.map((line, index) => ({
      ...line,
      replacementSkuId: body.type === 'EXCHANGE' ? (body.lines[index].replacementSkuId ?? null) : null,
    }));
    if (body.type === 'EXCHANGE') await this.checkReplacements(manager, facts, judged.merchantId, lines);
    const now = new Date();
    const shopper: RequestActor = { kind: 'SHOPPER', id: buyerId };
    const request = Object.assign(new AfterSalesRequest(), {
      id: requestId,
      orderId,
      buyerId,
      merchantId: judged.merchantId,
      type: body.type,
      reason: body.reason,
      sellerAtFault: isSellerAtFault(body.reason),
      state: 'REQUESTED' as const,
      version: 1,
      description: body.description ?? null,
      lines,
      returnShipping: returnShippingFor(body.type, body.reason, this.config),
      returnParcel: null,
      receivedAt: null,
      refundOnReceipt: null,
      inspectionPassed: null,
      inspectionNote: null,
      refund: null,
      refundFailure: null,
      refundedAt: null,
      replacementSubOrderId: null,
      replacementWarehouseId: null,
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await this.requests.open(manager, request, shopper);
    await this.requests.publish(manager, request, 'requested', shopper);
    await this.desk.approveAutomatically(manager, request, 0);
    return request;
  }
}
