import { type EvidenceFileResponse, newId } from '@mallard/contracts';
import { serviceTokenSecretOf } from '@mallard/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AfterSalesConfig } from '../config/after-sales-config.js';
import { evidenceProblems } from './evidence.problems.js';
import { EvidenceFile } from './evidence-file.entity.js';
import { EVIDENCE_STORAGE, type EvidenceStorage } from './evidence-storage.js';
import { type EvidenceContentType, MAX_EVIDENCE_FILES } from './evidence-type.js';
import { type EvidenceRefusal, type EvidenceUpload, prepareEvidence } from './evidence-uploads.js';
import {
  checkEvidenceLink,
  type EvidenceLinkQuery,
  type EvidenceViewer,
  evidenceLinkKey,
  linkExpiry,
  signEvidenceLink,
} from './evidence-url.js';

/** A file stored and ready to be recorded against a request. */
export interface AcceptedEvidence {
  filename: string;
  sha256: string;
  contentType: EvidenceContentType;
  /** Bytes as stored, after the location metadata came out. */
  size: number;
}

/**
 * Photos and videos a shopper attaches to an after-sales request: checked, cleaned of where they
 * were taken, stored by content hash, recorded against the request, and shown back through
 * signed links only to the viewer each link was made for.
 *
 * Storing and recording are two steps because the bytes go to the storage before the request's
 * transaction: a transaction that then fails leaves a stored file no row names, harmless (it is
 * content-addressed and never served without a row) and never the other way round.
 */
@Injectable()
export class EvidenceService {
  private readonly linkKey: Buffer;

  constructor(
    private readonly config: AfterSalesConfig,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
  ) {
    this.linkKey = evidenceLinkKey(serviceTokenSecretOf(config));
  }

  /**
   * Checks the upload as a whole (with `alreadyStored` files on the request, at most nine in
   * all; each within EVIDENCE_MAX_FILE_BYTES; JPEG, PNG, WebP or MP4 by content), strips
   * location metadata and stores the files. Throws the problem of the first file refused, and
   * then stores nothing.
   */
  async accept(uploads: readonly EvidenceUpload[], alreadyStored: number): Promise<AcceptedEvidence[]> {
    const prepared = prepareEvidence(uploads, { alreadyStored, maxFileBytes: this.config.EVIDENCE_MAX_FILE_BYTES });
    if (!prepared.ok) throw problemOf(prepared.refusal);
    const accepted: AcceptedEvidence[] = [];
    for (const file of prepared.files) {
      const { sha256 } = await this.storage.put(file.bytes);
      accepted.push({ filename: file.filename, sha256, contentType: file.contentType, size: file.bytes.length });
    }
    return accepted;
  }

  /**
   * Records accepted files against the request in the caller's transaction, after those it has.
   * Uploads to one request are taken one at a time (a transaction-scoped lock on the request),
   * so two at once cannot both fit under the limit: the second is refused with
   * `evidence-limit-reached` when the first filled it.
   */
  async record(
    manager: EntityManager,
    requestId: string,
    accepted: readonly AcceptedEvidence[],
    uploadedBy: string,
  ): Promise<EvidenceFile[]> {
    if (accepted.length === 0) return [];
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`after-sales.evidence:${requestId}`]);
    const stored = await manager.count(EvidenceFile, { where: { requestId } });
    if (stored + accepted.length > MAX_EVIDENCE_FILES) throw evidenceProblems.limitReached(MAX_EVIDENCE_FILES, stored, accepted.length);
    const rows = accepted.map((file, index) =>
      manager.create(EvidenceFile, {
        id: newId(),
        requestId,
        position: stored + index,
        sha256: file.sha256,
        contentType: file.contentType,
        size: file.size,
        uploadedBy,
      }),
    );
    await manager.insert(EvidenceFile, rows);
    const files = await this.list(manager, requestId);
    return files.slice(stored);
  }

  /** The request's files in the order they were attached. */
  async list(source: EntityManager | DataSource, requestId: string): Promise<EvidenceFile[]> {
    return source.getRepository(EvidenceFile).find({ where: { requestId }, order: { position: 'ASC' } });
  }

  /** How many files the request has: the `alreadyStored` of its next upload. */
  async count(source: EntityManager | DataSource, requestId: string): Promise<number> {
    return source.getRepository(EvidenceFile).count({ where: { requestId } });
  }

  /**
   * The files as the request's answer shows them, each with a link for `viewer` that works for
   * EVIDENCE_URL_TTL_SECONDS. Call it only for a viewer who may see the request: its owner or
   * customer service.
   */
  views(requestId: string, files: readonly EvidenceFile[], viewer: EvidenceViewer, now: Date = new Date()): EvidenceFileResponse[] {
    const expires = linkExpiry(now, this.config.EVIDENCE_URL_TTL_SECONDS);
    return files.map((file) => ({
      id: file.id,
      contentType: file.contentType,
      size: file.size,
      url: signEvidenceLink(this.linkKey, { requestId, fileId: file.id }, viewer, expires),
      uploadedAt: file.uploadedAt.toISOString(),
    }));
  }

  /**
   * The bytes behind a link, for the viewer asking: refused with `evidence-link-invalid` (403)
   * unless the link was made for this viewer and has not expired, `evidence-not-found` (404)
   * when the request has no such file.
   */
  async open(
    source: EntityManager | DataSource,
    requestId: string,
    fileId: string,
    query: EvidenceLinkQuery,
    viewer: EvidenceViewer,
    now: Date = new Date(),
  ): Promise<{ contentType: EvidenceContentType; bytes: Buffer }> {
    const check = checkEvidenceLink(this.linkKey, { requestId, fileId }, query, viewer, now);
    if (!check.ok) throw evidenceProblems.linkInvalid(check.reason);
    const file = await source.getRepository(EvidenceFile).findOne({ where: { id: fileId, requestId } });
    if (!file) throw evidenceProblems.notFound(requestId, fileId);
    const bytes = await this.storage.read(file.sha256);
    // A row whose bytes are gone is lost data, not a client's mistake: a 500 for the logs.
    if (!bytes) throw new Error(`evidence file ${file.id} of request ${requestId}: no bytes stored under ${file.sha256}`);
    return { contentType: file.contentType, bytes };
  }
}

function problemOf(refusal: EvidenceRefusal) {
  switch (refusal.kind) {
    case 'limit-reached':
      return evidenceProblems.limitReached(refusal.limit, refusal.alreadyStored, refusal.uploaded);
    case 'too-large':
      return evidenceProblems.tooLarge(refusal.filename, refusal.maxBytes);
    case 'type-unsupported':
      return evidenceProblems.typeUnsupported(refusal.filename, refusal.detected);
  }
}
