import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineEventDrivenService } from '@mallard/messaging';
import { ProblemException } from '@mallard/platform';
import { dropDatabase, queryDatabase, startTestService, type TestService } from '@mallard/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterSalesConfig } from '../config/after-sales-config.js';
import { EVIDENCE_ENTITIES, EVIDENCE_MIGRATIONS, EvidenceModule } from './evidence.module.js';
import { type AcceptedEvidence, EvidenceService } from './evidence.service.js';
import type { EvidenceFile } from './evidence-file.entity.js';
import {
  GPS_LATITUDE_RATIONALS,
  GPS_LONGITUDE_RATIONALS,
  jpegExifSegment,
  jpegXmpSegment,
  pngExifChunk,
  pngXmpChunk,
  tiffWithGps,
  tinyJpeg,
  tinyPng,
} from './evidence-samples.js';
import { detectEvidenceType } from './evidence-type.js';
import type { EvidenceViewer } from './evidence-url.js';

/** The after-sales service with only the evidence feature: its table, its storage, its service. */
const evidenceOnly = defineEventDrivenService<AfterSalesConfig>({
  name: 'after-sales',
  config: AfterSalesConfig,
  features: [EvidenceModule],
  entities: EVIDENCE_ENTITIES,
  migrations: EVIDENCE_MIGRATIONS,
});

const MAX_FILE_BYTES = 4096;
const alice: EvidenceViewer = { kind: 'buyer', buyerId: 'alice' };
const bob: EvidenceViewer = { kind: 'buyer', buyerId: 'bob' };
const customerService: EvidenceViewer = { kind: 'customer-service' };

/** The link's path and query as the route would receive them. */
const partsOf = (url: string) => {
  const parsed = new URL(url, 'http://gateway');
  const [, , , , requestId, , fileId] = parsed.pathname.split('/');
  return { requestId, fileId, query: Object.fromEntries(parsed.searchParams) };
};

async function refusal(promise: Promise<unknown>): Promise<{ slug: string; status: number; extensions: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProblemException)) throw new Error(`expected a problem, got ${String(error)}`);
  return { slug: error.slug, status: error.getStatus(), extensions: { ...error.extensions } };
}

describe('evidence against PostgreSQL and a storage directory', () => {
  let service: TestService<AfterSalesConfig>;
  let evidence: EvidenceService;
  let dataSource: DataSource;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'after-sales-evidence-'));
    service = await startTestService(evidenceOnly, { EVIDENCE_DIR: directory, EVIDENCE_MAX_FILE_BYTES: String(MAX_FILE_BYTES) });
    evidence = service.app.get(EvidenceService);
    dataSource = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.stop();
    if (service) await dropDatabase(service.databaseName);
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const attach = async (requestId: string, accepted: AcceptedEvidence[], uploadedBy = 'buyer:alice'): Promise<EvidenceFile[]> =>
    dataSource.transaction((manager) => evidence.record(manager, requestId, accepted, uploadedBy));

  it('accepts a real JPEG and PNG, stores them without their location and shows them to their owner', async () => {
    const requestId = randomUUID();
    const jpeg = tinyJpeg({ metadata: [jpegExifSegment(), jpegXmpSegment()] });
    const png = tinyPng({ metadata: [pngExifChunk(), pngXmpChunk()] });
    const accepted = await evidence.accept(
      [
        { filename: 'dent.jpg', bytes: jpeg },
        { filename: 'label.png', bytes: png },
      ],
      await evidence.count(dataSource, requestId),
    );
    const recorded = await attach(requestId, accepted);
    expect(recorded.map((file) => [file.position, file.contentType])).toEqual([
      [0, 'image/jpeg'],
      [1, 'image/png'],
    ]);

    const listed = await evidence.list(dataSource, requestId);
    expect(listed.map((file) => file.id)).toEqual(recorded.map((file) => file.id));
    const views = evidence.views(requestId, listed, alice);
    expect(views.map(({ contentType, size }) => ({ contentType, size }))).toEqual(
      accepted.map(({ contentType, size }) => ({ contentType, size })),
    );
    expect(views[0].uploadedAt).toBe(listed[0].uploadedAt.toISOString());

    for (const [index, view] of views.entries()) {
      const link = partsOf(view.url);
      expect(link).toMatchObject({ requestId, fileId: view.id });
      const opened = await evidence.open(dataSource, link.requestId, link.fileId, link.query, alice);
      expect(opened.contentType).toBe(view.contentType);
      expect(opened.bytes.length).toBe(view.size);
      expect(detectEvidenceType(opened.bytes)).toBe(view.contentType);
      expect(opened.bytes.includes(GPS_LATITUDE_RATIONALS)).toBe(false);
      expect(opened.bytes.includes(GPS_LONGITUDE_RATIONALS)).toBe(false);
      expect(opened.bytes.includes('GPSLatitude')).toBe(false);
      expect(opened.bytes.length).toBeLessThan([jpeg, png][index].length);
    }
    // The JPEG ends as it should and kept its orientation (6), and only that, in its Exif.
    const photo = await evidence.open(dataSource, requestId, views[0].id, partsOf(views[0].url).query, alice);
    expect(photo.bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(photo.bytes.includes(Buffer.from([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06]))).toBe(true);
  });

  it('refuses a text file named .jpg and an oversize file, and keeps nothing of either upload', async () => {
    const requestId = randomUUID();
    const filesBefore = await storedFileCount(directory);
    expect(
      await refusal(
        evidence.accept(
          [
            // Stored by no other test (orientation 3), so a put before the refusal would show.
            { filename: 'fine.jpg', bytes: tinyJpeg({ metadata: [jpegExifSegment(tiffWithGps(3))] }) },
            { filename: 'receipt.jpg', bytes: Buffer.from('Order 42: paid 49.00 CNY\n') },
          ],
          0,
        ),
      ),
    ).toEqual({ slug: 'evidence-type-unsupported', status: 415, extensions: { filename: 'receipt.jpg', detected: 'a text file' } });
    expect(
      await refusal(evidence.accept([{ filename: 'huge.png', bytes: Buffer.concat([tinyPng(), Buffer.alloc(MAX_FILE_BYTES)]) }], 0)),
    ).toEqual({ slug: 'evidence-too-large', status: 413, extensions: { filename: 'huge.png', maxBytes: MAX_FILE_BYTES } });
    expect(await storedFileCount(directory)).toBe(filesBefore);
    expect(await evidence.count(dataSource, requestId)).toBe(0);
  });

  it('refuses another shopper the owner’s link, and the owner a link once expired', async () => {
    const requestId = randomUUID();
    const [file] = await attach(requestId, await evidence.accept([{ filename: 'a.jpg', bytes: tinyJpeg() }], 0));
    const [ownersView] = evidence.views(requestId, [file], alice);
    const { query } = partsOf(ownersView.url);

    expect(await refusal(evidence.open(dataSource, requestId, file.id, query, bob))).toEqual({
      slug: 'evidence-link-invalid',
      status: 403,
      extensions: { reason: 'invalid' },
    });
    // Customer service cannot use the shopper's link either; a link made for customer service works.
    expect(await refusal(evidence.open(dataSource, requestId, file.id, query, customerService))).toMatchObject({ status: 403 });
    const [staffView] = evidence.views(requestId, [file], customerService);
    await expect(evidence.open(dataSource, requestId, file.id, partsOf(staffView.url).query, customerService)).resolves.toMatchObject({
      contentType: 'image/jpeg',
    });

    const afterExpiry = new Date(Date.now() + (service.config.EVIDENCE_URL_TTL_SECONDS + 1) * 1000);
    expect(await refusal(evidence.open(dataSource, requestId, file.id, query, alice, afterExpiry))).toEqual({
      slug: 'evidence-link-invalid',
      status: 403,
      extensions: { reason: 'expired' },
    });
  });

  it('answers 404 for a file the request does not have, even with a link signed for it', async () => {
    const requestId = randomUUID();
    const [file] = await attach(requestId, await evidence.accept([{ filename: 'a.png', bytes: tinyPng() }], 0));
    const otherRequest = randomUUID();
    const [view] = evidence.views(otherRequest, [file], alice);
    expect(await refusal(evidence.open(dataSource, otherRequest, file.id, partsOf(view.url).query, alice))).toMatchObject({
      slug: 'evidence-not-found',
      status: 404,
    });
  });

  it('keeps a request at nine files, even when two uploads race for the last places', async () => {
    const requestId = randomUUID();
    const photo = await evidence.accept([{ filename: 'p.jpg', bytes: tinyJpeg() }], 0);
    const five = new Array(5).fill(photo[0]);
    const outcomes = await Promise.allSettled([attach(requestId, five), attach(requestId, five)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(await refusal(Promise.reject(rejected.reason))).toEqual({
      slug: 'evidence-limit-reached',
      status: 422,
      extensions: { limit: 9, alreadyStored: 5 },
    });

    await attach(requestId, new Array(4).fill(photo[0]));
    expect(await evidence.count(dataSource, requestId)).toBe(9);
    expect(await refusal(evidence.accept([{ filename: 'tenth.jpg', bytes: tinyJpeg() }], 9))).toMatchObject({
      slug: 'evidence-limit-reached',
    });
    const positions = await queryDatabase<{ position: number }>(
      service.databaseName,
      'SELECT position FROM evidence_file WHERE request_id = $1 ORDER BY position',
      [requestId],
    );
    expect(positions.map((row) => row.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

async function storedFileCount(directory: string): Promise<number> {
  const fanOuts = await readdir(directory).catch(() => [] as string[]);
  let count = 0;
  for (const fanOut of fanOuts) count += (await readdir(path.join(directory, fanOut))).length;
  return count;
}
