/**
 * Carrier webhooks benchmark (`npm run bench -- webhooks`): carriers' signed tracking updates
 * through the gateway's public route, POST /api/v1/webhooks/carriers/{aftership|kuaidi100|easypost},
 * at a target rate, then a check in logistics of what they did.
 *
 * Set-up (not timed): orders paid with loyalty points, each splitting into 25 sub-orders (one per
 * warehouse) that staff pick, pack as two parcels and hand over through the warehouse routes; each
 * parcel gets a tracking number and the one provider that reports on it (AfterShip and Kuaidi100
 * for SF Express, EasyPost for UPS). Every notification is built and signed here, as the providers
 * do, before the clock starts.
 *
 * Timed: for each parcel, IN_TRANSIT, OUT_FOR_DELIVERY and DELIVERED, each re-sending the lines
 * before it (all three providers send the whole history); some parcels' updates arrive out of
 * order, and some updates are sent twice, either at once (a retry racing the first) or later. The
 * parcels are staggered, so every moment has the same mix. Posts go out at `--rate` per second,
 * never more than `--concurrency` at a time, until `--duration` is up.
 *
 * Then: every parcel whose DELIVERED update was acknowledged must read DELIVERED through
 * GET /api/v1/parcels/{id}, and logistics' database must hold each acknowledged notification once,
 * each checkpoint once and the parcel moves the answers imply (exit code 1 otherwise).
 *
 * The secrets are those `npm start` gives logistics (deploy/local/dev-secrets.mjs), or the
 * environment's when it sets them. A suite the benchmark starts lets webhooks through at twice
 * the rate (webhookRateLimitFor); a suite already running must have been started so.
 */

import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { request } from 'undici';
import { AFTERSHIP_SIGNATURE_HEADER, signAfterShipBody } from '../apps/logistics/src/providers/aftership/aftership-webhook.js';
import { EASYPOST_SIGNATURE_HEADER, signEasyPostBody } from '../apps/logistics/src/providers/easypost/easypost-webhook.js';
import { KUAIDI100_STATE_NAMES } from '../apps/logistics/src/providers/kuaidi100/kuaidi100-states.js';
import { signKuaidi100Param } from '../apps/logistics/src/providers/kuaidi100/kuaidi100-webhook.js';
import { afterShipUpdate, kuaidi100Push } from '../apps/logistics/src/testing/logistics-test-kit.js';
import { type CarrierWebhookSecrets, carrierWebhookSecrets } from '../deploy/local/dev-secrets.mjs';
import {
  type Arrival,
  type Bench,
  type CpuMeter,
  type Figures,
  latencyFromIntended,
  latencyLine,
  measureCpu,
  openLoop,
  openLoopLines,
  orderBody,
  payWithPoints,
  printCpu,
  STATE_DIR,
  serviceDatabaseUrl,
  setUpCatalog,
  skuWarehouseId,
  statusCounts,
  webhookRate,
  webhookRateLimitFor,
} from './bench-kit.js';

const PROVIDERS = ['aftership', 'kuaidi100', 'easypost'] as const;
type Provider = (typeof PROVIDERS)[number];
/** The carrier each provider reports on here: the test kit's AfterShip and Kuaidi100 updates are SF Express's; EasyPost carries no Chinese carrier. */
const CARRIER_OF: Record<Provider, { code: string; prefix: string }> = {
  aftership: { code: 'sf-express', prefix: 'SF' },
  kuaidi100: { code: 'sf-express', prefix: 'SF' },
  easypost: { code: 'ups', prefix: '1Z' },
};

/** A parcel's life with the carrier, in each provider's words. */
const STEPS = [
  { state: 'IN_TRANSIT', afterShip: 'InTransit', kuaidi100: '0', easyPost: 'in_transit' },
  { state: 'OUT_FOR_DELIVERY', afterShip: 'OutForDelivery', kuaidi100: '5', easyPost: 'out_for_delivery' },
  { state: 'DELIVERED', afterShip: 'Delivered', kuaidi100: '3', easyPost: 'delivered' },
] as const;
const FINAL_STEP = STEPS.length - 1;

/**
 * Each order has one line of two units per SKU, and each SKU its own warehouse: the order splits
 * into as many sub-orders of two parcels each, a common shape. It matters: a carrier's report
 * locks the parcel's sub-order and every parcel of it.
 */
const SUB_ORDERS_PER_ORDER = 25;
const PARCELS_PER_SUB_ORDER = 2;
const PARCELS_PER_ORDER = SUB_ORDERS_PER_ORDER * PARCELS_PER_SUB_ORDER;
/** Of the updates, those sent twice; half of the second sends race the first. */
const DUPLICATE_SHARE = 0.1;
/** Of the parcels, those with two consecutive updates swapped. */
const OUT_OF_ORDER_SHARE = 0.1;
/**
 * Posts between one parcel's consecutive updates: many times --concurrency, so they are never out
 * at the same time (only a duplicate sent at once races its first), however far the suite falls
 * behind; and few enough that a run cut short by --duration leaves only its last parcels unfinished.
 */
const stepGapPosts = (concurrency: number): number => Math.max(200, 8 * concurrency);
const POSTS_PER_PARCEL = STEPS.length * (1 + DUPLICATE_SHARE);

interface TrackedParcel {
  id: string;
  provider: Provider;
  trackingNumber: string;
}

/** One signed notification, as its provider would post it. */
interface Notification {
  parcel: TrackedParcel;
  step: number;
  /** What logistics dedupes the notification on (docs/logistics-webhooks.md). */
  eventKey: string;
  headers: Record<string, string>;
  body: string;
}

interface Post {
  notification: Notification;
  kind: 'update' | 'duplicate at once' | 'duplicate later';
  /** Its parcel has two consecutive updates swapped. */
  outOfOrder: boolean;
  /** Where it falls in the schedule, counted in posts; only the order matters. */
  at: number;
}

/** A post that was sent, when, and its answer's status (0: no answer). */
interface Sent extends Omit<Arrival<unknown>, 'result'> {
  post: Post;
  status: number;
}

export async function runWebhooks(
  bench: Bench,
  admin: string,
  buyers: string[],
  startedSuite: boolean,
  meter: CpuMeter,
  figures: Figures,
): Promise<void> {
  const { options } = bench;
  const rate = webhookRate(options);
  const secrets = carrierWebhookSecrets(STATE_DIR, process.env);
  await checkSecrets(bench, secrets);
  console.log(
    startedSuite
      ? `gateway webhook limit          WEBHOOK_RATE_LIMIT_PER_MINUTE=${webhookRateLimitFor(options)} in the suite started for this run`
      : 'gateway webhook limit          the running suite’s own WEBHOOK_RATE_LIMIT_PER_MINUTE (6000 unless it was started with another)',
  );

  const parcelCount = options.parcels ?? Math.max(PARCELS_PER_ORDER, Math.floor((rate * options.durationSeconds) / POSTS_PER_PARCEL));
  const setUpStarted = performance.now();
  const { parcels, orders } = await setUpParcels(bench, admin, buyers, parcelCount);
  const posts = schedule(parcels, secrets, options.concurrency);
  // The suite is still digesting the handovers' events; the clock starts once the gateway's read
  // model has them all, so the timed phase pays for the webhooks only.
  for (const order of orders) {
    await until(
      () => bench.call('GET', `/api/v1/orders/${order.id}`, order.shopper),
      (answer) => answer.body.status === 'SHIPPED',
      `order ${order.id} reading SHIPPED`,
    );
  }
  console.log(
    `set-up                         ${parcels.length} parcels handed over (${orders.length} orders), ${posts.length} notifications signed, in ${((performance.now() - setUpStarted) / 1000).toFixed(1)} s`,
  );

  const database = await logisticsDatabase();
  const plan = { rate, durationSeconds: options.durationSeconds, maxInFlight: options.concurrency, limit: posts.length };
  const { result: run, cpu } = await measureCpu(meter, () =>
    openLoop(plan, async (index) => {
      const post = posts[index];
      const { parcel, headers, body } = post.notification;
      return { post, status: await postWebhook(bench, parcel.provider, headers, body).catch(() => 0) };
    }),
  );
  const sent: Sent[] = run.arrivals.map(({ result, ...arrival }) => ({ ...arrival, ...result }));
  const { seconds } = run;

  const acknowledged = sent.filter((s) => s.status === 200).length;
  figures.add('webhooks posted [open loop] (/s)', sent.length / seconds);
  figures.add('webhooks acknowledged [open loop] (/s)', acknowledged / seconds);
  console.log(
    `webhooks posted                ${sent.length} of ${posts.length} planned in ${seconds.toFixed(1)} s   ${(sent.length / seconds).toFixed(0)}/s (target ${rate}/s), ${(acknowledged / seconds).toFixed(0)}/s acknowledged   ${statusCounts(sent)}`,
  );
  for (const [kind, label] of [
    ['update', 'updates'],
    ['duplicate at once', 'sent again at once'],
    ['duplicate later', 'sent again later'],
  ] as const) {
    const ofKind = sent.filter((s) => s.post.kind === kind);
    console.log(`  ${label.padEnd(29)}${ofKind.length}   ${statusCounts(ofKind)}`);
  }
  const swapped = new Set(sent.filter((s) => s.post.outOfOrder).map((s) => s.post.notification.parcel.id)).size;
  const touched = new Set(sent.map((s) => s.post.notification.parcel.id)).size;
  console.log(`  ${'parcels'.padEnd(29)}${touched}, of them ${swapped} with two updates out of order`);
  console.log(latencyLine('HTTP answer (all)', sent.map(answerMs)));
  for (const provider of PROVIDERS) {
    console.log(latencyLine(`  ${provider}`, sent.filter((s) => s.post.notification.parcel.provider === provider).map(answerMs)));
  }
  console.log(latencyLine('from intended send [open]', sent.map(latencyFromIntended), figures));
  for (const line of openLoopLines(run, plan, figures)) console.log(line);
  if (sent.some((s) => s.status === 429)) {
    console.log(
      '  429: the gateway limits webhooks per address; start the suite with WEBHOOK_RATE_LIMIT_PER_MINUTE=0 (or let the benchmark start it)',
    );
  }
  printCpu(cpu, sent.length, 'webhook', figures);

  let failed = false;
  // Parcels the deadline came before are still PICKED_UP, as handed over: nothing to read.
  const postedTo = new Set(sent.map((s) => s.post.notification.parcel.id));
  const reached = parcels.filter((parcel) => postedTo.has(parcel.id));
  const expected = expectations(reached, sent);
  const states = await parcelStates(bench, reached);
  const complete = new Set(expected.complete);
  const deliveredOfComplete = expected.complete.filter((parcel) => states.get(parcel.id) === 'DELIVERED').length;
  const unfinished = reached.filter((parcel) => !complete.has(parcel));
  console.log(
    `parcels (GET /api/v1/parcels)  ${deliveredOfComplete} of ${expected.complete.length} whose DELIVERED was acknowledged read DELIVERED; ${unfinished.length} others posted to: ${tally(unfinished.map((parcel) => states.get(parcel.id) ?? 'unread'))}; ${parcels.length - reached.length} not reached`,
  );
  failed ||= expected.complete.length === 0 || deliveredOfComplete !== expected.complete.length;

  if (database) {
    const found = await appliedInLogistics(database, reached, expected.eventKeys);
    const within = (value: number, [min, max]: [number, number]): string => (value >= min && value <= max ? 'ok' : 'MISMATCH');
    const range = ([min, max]: [number, number]): string => (min === max ? `${min}` : `${min}–${max}`);
    console.log(
      `applied by logistics           notifications recorded ${found.notifications} (expected ${range(expected.notifications)}: ${within(found.notifications, expected.notifications)})`,
    );
    console.log(
      `                               parcel moves by carriers ${found.moves} (expected ${range(expected.moves)}: ${within(found.moves, expected.moves)})`,
    );
    console.log(
      `                               checkpoints kept ${found.checkpoints} (expected ${range(expected.checkpoints)}: ${within(found.checkpoints, expected.checkpoints)})   parked for no parcel ${found.parked}`,
    );
    failed ||=
      within(found.notifications, expected.notifications) !== 'ok' ||
      within(found.moves, expected.moves) !== 'ok' ||
      within(found.checkpoints, expected.checkpoints) !== 'ok' ||
      found.parked !== 0;
    await database.end();
  } else {
    console.log('applied by logistics           (its database did not answer: only the parcels’ states were checked)');
  }
  if (failed) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------------------------

/**
 * Each provider's secret must be the running logistics' one. A signed notification logistics
 * ignores (an AfterShip or EasyPost event that is not about tracking) or cannot read (a Kuaidi100
 * push without lastResult, 400) shows it without changing anything; a wrong secret gets 401.
 */
async function checkSecrets(bench: Bench, secrets: CarrierWebhookSecrets): Promise<void> {
  const probes: [Provider, Record<string, string>, string, number][] = [];
  const afterShip = JSON.stringify({ event: 'bench_probe', event_id: randomUUID(), ts: Math.floor(Date.now() / 1000) });
  probes.push(['aftership', afterShipHeaders(secrets, afterShip), afterShip, 200]);
  const easyPost = JSON.stringify({ id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'Event', description: 'bench.probe' });
  probes.push(['easypost', easyPostHeaders(secrets, easyPost), easyPost, 200]);
  probes.push(['kuaidi100', kuaidi100Headers(), kuaidi100Form(secrets, '{}'), 400]);
  for (const [provider, headers, body, wanted] of probes) {
    const status = await postWebhook(bench, provider, headers, body);
    if (status === 401) {
      throw new Error(
        `${provider}: 401, the running logistics verifies with another secret. The benchmark signs with the environment's ` +
          `AFTERSHIP_WEBHOOK_SECRET / KUAIDI100_SALT / EASYPOST_WEBHOOK_SECRET, else those \`npm start\` keeps in .mallard/; ` +
          'a suite started before those existed has none: `npm stop`, then run the benchmark again (it starts the suite).',
      );
    }
    if (status !== wanted) throw new Error(`${provider}: a signed probe got ${status}, expected ${wanted}`);
  }
}

async function setUpParcels(
  bench: Bench,
  admin: string,
  buyers: string[],
  parcelCount: number,
): Promise<{ parcels: TrackedParcel[]; orders: { id: string; shopper: string }[] }> {
  const { call, runId, tokens, options } = bench;
  const skuIds = await setUpCatalog(bench, admin, SUB_ORDERS_PER_ORDER, 100_000, false, true);
  const orderCount = Math.ceil(parcelCount / PARCELS_PER_ORDER);
  const buyerIds = Array.from({ length: Math.min(orderCount, buyers.length) }, (_, index) => `bench-${runId}-buyer-${index}`);
  for (const buyerId of buyerIds) {
    const grant = await call('POST', '/api/v1/admin/points/grants', admin, { buyerId, points: 1_000_000_000, reason: 'benchmark' });
    if (grant.status !== 201) throw new Error(`points grant: ${grant.status} ${JSON.stringify(grant.body)}`);
  }
  const workers = Math.min(options.concurrency, 16);

  // Shoppers place and pay; orders splits each order.
  const orders: { id: string; shopper: string }[] = [];
  const subOrders: { id: string; picker: string; lines: { lineId: string; quantity: number }[] }[] = [];
  await inParallel(orderCount, workers, async (index) => {
    const shopper = buyers[index % buyerIds.length];
    const placed = await call('POST', '/api/v1/orders', shopper, orderBody(skuIds, PARCELS_PER_SUB_ORDER), {
      'idempotency-key': randomUUID(),
    });
    expectStatus('place', placed, 201);
    const orderId = String(placed.body.id);
    orders.push({ id: orderId, shopper });
    expectStatus('pay', await payWithPoints(bench, shopper, orderId, (placed.body.amounts as { payable: number }).payable), 201);
    const split = await until(
      () => call('GET', `/api/v1/orders/${orderId}`, shopper),
      (answer) => answer.body.state === 'SPLIT',
      `order ${orderId} split`,
    );
    // Staff of the order's warehouses, one per order (and so under the per-user rate limit of a suite already running).
    const picker = tokens.sign({
      sub: `bench-${runId}-picker-${index}`,
      roles: ['warehouse'],
      ttlSeconds: 3600,
      warehouses: skuIds.map((_, sku) => skuWarehouseId(sku)),
    });
    for (const subOrder of split.body.subOrders as { id: string; lines: { lineId: string; quantity: number }[] }[]) {
      subOrders.push({ id: subOrder.id, picker, lines: subOrder.lines });
    }
  });

  // The warehouse picks, packs one unit per parcel and hands each parcel to its carrier.
  const parcels: TrackedParcel[] = [];
  const progress = setInterval(
    () => console.log(`  set-up: ${parcels.length} of ${subOrders.length * PARCELS_PER_SUB_ORDER} parcels handed over`),
    10_000,
  );
  try {
    await inParallel(subOrders.length, workers, async (index) => {
      const { id, picker, lines } = subOrders[index];
      const at = `/api/v1/warehouse/sub-orders/${id}`;
      await until(
        () => call('GET', at, picker),
        (answer) => answer.status === 200,
        `logistics taking on sub-order ${id}`,
      );
      expectStatus('pick', await call('POST', `${at}/pick`, picker), 200);
      const unitParcels = lines.flatMap((line) =>
        Array.from({ length: line.quantity }, () => ({ lines: [{ lineId: line.lineId, quantity: 1 }] })),
      );
      const packed = await call('POST', `${at}/pack`, picker, { parcels: unitParcels });
      expectStatus('pack', packed, 200);
      for (const { id: parcelId } of packed.body.parcels as { id: string }[]) {
        const provider = PROVIDERS[parcels.length % PROVIDERS.length];
        const { code, prefix } = CARRIER_OF[provider];
        const trackingNumber = `${prefix}${runId.toUpperCase()}${String(parcels.length).padStart(6, '0')}`;
        parcels.push({ id: parcelId, provider, trackingNumber });
        const handedOver = await call('POST', `/api/v1/warehouse/parcels/${parcelId}/handover`, picker, {
          carrierCode: code,
          trackingNumber,
        });
        expectStatus('handover', handedOver, 200);
      }
    });
  } finally {
    clearInterval(progress);
  }
  return { parcels, orders };
}

/** Runs `work` for 0 … count-1, `workers` at a time. */
async function inParallel(count: number, workers: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, count) }, async () => {
      for (let index = next++; index < count; index = next++) await work(index);
    }),
  );
}

function expectStatus(step: string, answer: { status: number; body: unknown }, wanted: number): void {
  if (answer.status !== wanted) throw new Error(`${step}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

async function until<T>(attempt: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${JSON.stringify(value).slice(0, 300)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// The notifications, as each provider signs them
// ---------------------------------------------------------------------------------------------

/** When the carrier scanned each step: hours apart, the last an hour ago. */
const SCANNED_FROM = Date.now() - (STEPS.length + 1) * 3_600_000;
const scannedAt = (step: number): Date => new Date(SCANNED_FROM + step * 3_600_000);

function notification(parcel: TrackedParcel, step: number, secrets: CarrierWebhookSecrets): Notification {
  const { trackingNumber } = parcel;
  const history = STEPS.slice(0, step + 1);
  if (parcel.provider === 'aftership') {
    // The test kit's update for each step; the newest carries all lines so far, oldest first, as AfterShip sends them.
    const updates = history.map((s, k) => afterShipUpdate(trackingNumber, s.afterShip, scannedAt(k).toISOString()) as AfterShipBody);
    const newest = updates.at(-1)!;
    newest.msg.checkpoints = updates.flatMap((update) => update.msg.checkpoints);
    const body = JSON.stringify(newest);
    return { parcel, step, eventKey: newest.event_id, headers: afterShipHeaders(secrets, body), body };
  }
  if (parcel.provider === 'kuaidi100') {
    // Kuaidi100 lists the whole history newest first; its times are China time without an offset.
    const pushes = history.map(
      (s, k) =>
        JSON.parse(
          kuaidi100Push(trackingNumber, s.kuaidi100, chinaTime(scannedAt(k)), KUAIDI100_STATE_NAMES[s.kuaidi100]),
        ) as Kuaidi100Param,
    );
    const newest = pushes.at(-1)!;
    newest.lastResult.data = pushes.flatMap((push) => push.lastResult.data).reverse();
    const param = JSON.stringify(newest);
    const eventKey = createHash('sha256').update(param, 'utf8').digest('hex');
    return { parcel, step, eventKey, headers: kuaidi100Headers(), body: kuaidi100Form(secrets, param) };
  }
  const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
  const body = JSON.stringify({
    id: eventId,
    object: 'Event',
    mode: 'production',
    description: 'tracker.updated',
    created_at: easyPostTime(new Date()),
    result: {
      id: `trk_${trackingNumber}`,
      object: 'Tracker',
      mode: 'production',
      tracking_code: trackingNumber,
      carrier: 'UPS',
      status: STEPS[step].easyPost,
      status_detail: STEPS[step].easyPost,
      updated_at: easyPostTime(scannedAt(step)),
      tracking_details: history.map((s, k) => ({
        object: 'TrackingDetail',
        message: `${s.easyPost} at ${easyPostTime(scannedAt(k))}`,
        status: s.easyPost,
        datetime: easyPostTime(scannedAt(k)),
        source: 'UPS',
        tracking_location: { object: 'TrackingLocation', city: 'Louisville', state: 'KY', country: 'US', zip: '40201' },
      })),
    },
  });
  return { parcel, step, eventKey: eventId, headers: easyPostHeaders(secrets, body), body };
}

type AfterShipBody = { event_id: string; msg: { checkpoints: unknown[] } };
type Kuaidi100Param = { lastResult: { data: unknown[] } };

const chinaTime = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const easyPostTime = (at: Date): string => `${at.toISOString().slice(0, 19)}Z`;

const afterShipHeaders = (secrets: CarrierWebhookSecrets, body: string): Record<string, string> => ({
  'content-type': 'application/json',
  [AFTERSHIP_SIGNATURE_HEADER]: signAfterShipBody(secrets.AFTERSHIP_WEBHOOK_SECRET, body),
});
const easyPostHeaders = (secrets: CarrierWebhookSecrets, body: string): Record<string, string> => ({
  'content-type': 'application/json',
  [EASYPOST_SIGNATURE_HEADER]: signEasyPostBody(secrets.EASYPOST_WEBHOOK_SECRET, body),
});
const kuaidi100Headers = (): Record<string, string> => ({ 'content-type': 'application/x-www-form-urlencoded' });
const kuaidi100Form = (secrets: CarrierWebhookSecrets, param: string): string =>
  new URLSearchParams({ param, sign: signKuaidi100Param(param, secrets.KUAIDI100_SALT) }).toString();

/** Every parcel's updates, duplicates and swaps, parcels staggered so the mix is the same throughout. */
function schedule(parcels: TrackedParcel[], secrets: CarrierWebhookSecrets, concurrency: number): Post[] {
  const posts: Post[] = [];
  const gap = stepGapPosts(concurrency);
  parcels.forEach((parcel, index) => {
    const start = index * POSTS_PER_PARCEL;
    const times = STEPS.map((_, step) => start + step * gap);
    const outOfOrder = Math.random() < OUT_OF_ORDER_SHARE;
    if (outOfOrder) {
      const first = Math.floor(Math.random() * (STEPS.length - 1));
      [times[first], times[first + 1]] = [times[first + 1], times[first]];
    }
    STEPS.forEach((_, step) => {
      const update = notification(parcel, step, secrets);
      posts.push({ notification: update, kind: 'update', outOfOrder, at: times[step] });
      if (Math.random() < DUPLICATE_SHARE) {
        const atOnce = Math.random() < 0.5;
        posts.push({
          notification: update,
          kind: atOnce ? 'duplicate at once' : 'duplicate later',
          outOfOrder,
          at: times[step] + (atOnce ? 1e-9 : 1.5 * gap),
        });
      }
    });
  });
  return posts.sort((a, b) => a.at - b.at);
}

// ---------------------------------------------------------------------------------------------
// The timed phase
// ---------------------------------------------------------------------------------------------

async function postWebhook(bench: Bench, provider: Provider, headers: Record<string, string>, body: string): Promise<number> {
  const response = await request(`${bench.options.gateway}/api/v1/webhooks/carriers/${provider}`, {
    method: 'POST',
    dispatcher: bench.agent,
    headers,
    body,
  });
  await response.body.dump();
  return response.statusCode;
}

const answerMs = (s: Sent): number => s.answeredAt - s.startedAt;

// ---------------------------------------------------------------------------------------------
// What logistics did
// ---------------------------------------------------------------------------------------------

interface Expectations {
  /** Parcels whose DELIVERED update was acknowledged: it carries their whole history, so they must be DELIVERED. */
  complete: TrackedParcel[];
  /** Distinct notifications: acknowledged ones must be recorded, unanswered ones may have been. */
  eventKeys: string[];
  notifications: [number, number];
  moves: [number, number];
  checkpoints: [number, number];
}

/**
 * What the answers imply. A notification re-sends the lines before it, so a parcel keeps one
 * checkpoint per step up to the furthest acknowledged, and moves once each time a notification
 * goes further than all before it (a parcel never moves back). Posts that got no 200 may or may
 * not have been applied: they widen the range.
 */
function expectations(parcels: TrackedParcel[], sent: Sent[]): Expectations {
  const byParcel = new Map<string, Sent[]>();
  for (const s of sent) byParcel.set(s.post.notification.parcel.id, [...(byParcel.get(s.post.notification.parcel.id) ?? []), s]);
  const complete: TrackedParcel[] = [];
  const result: Expectations = { complete, eventKeys: [], notifications: [0, 0], moves: [0, 0], checkpoints: [0, 0] };
  const acknowledgedKeys = new Set<string>();
  const allKeys = new Set<string>();
  for (const parcel of parcels) {
    const posts = (byParcel.get(parcel.id) ?? []).sort((a, b) => a.answeredAt - b.answeredAt);
    const acknowledged = posts.filter((s) => s.status === 200);
    for (const s of acknowledged) acknowledgedKeys.add(s.post.notification.eventKey);
    for (const s of posts) allKeys.add(s.post.notification.eventKey);
    let furthest = -1;
    for (const s of acknowledged) {
      if (s.post.notification.step > furthest) {
        furthest = s.post.notification.step;
        result.moves[0] += 1;
      }
    }
    result.checkpoints[0] += furthest + 1;
    const furthestPosted = Math.max(-1, ...posts.map((s) => s.post.notification.step));
    result.checkpoints[1] += furthestPosted + 1;
    result.moves[1] += new Set(posts.map((s) => s.post.notification.step)).size;
    if (furthest === FINAL_STEP) complete.push(parcel);
  }
  result.eventKeys = [...allKeys];
  result.notifications = [acknowledgedKeys.size, allKeys.size];
  return result;
}

async function logisticsDatabase(): Promise<pg.Client | undefined> {
  const client = new pg.Client({ connectionString: serviceDatabaseUrl('logistics') });
  try {
    await client.connect();
    return client;
  } catch {
    return undefined;
  }
}

async function appliedInLogistics(
  database: pg.Client,
  parcels: TrackedParcel[],
  eventKeys: string[],
): Promise<{ notifications: number; moves: number; checkpoints: number; parked: number }> {
  const ids = parcels.map((parcel) => parcel.id);
  const { rows } = await database.query<{ notifications: string; moves: string; checkpoints: string; parked: string }>(
    `SELECT (SELECT count(*) FROM idempotent_request WHERE scope = 'carrier-event' AND request_key = ANY($3::text[])) AS notifications,
            (SELECT count(*) FROM parcel_state_change WHERE source = 'CARRIER' AND parcel_id = ANY($1::uuid[])) AS moves,
            (SELECT count(*) FROM parcel_checkpoint WHERE parcel_id = ANY($1::uuid[])) AS checkpoints,
            (SELECT count(*) FROM parked_tracking_report WHERE tracking_number = ANY($2::text[])) AS parked`,
    [ids, parcels.map((parcel) => parcel.trackingNumber), eventKeys],
  );
  const [row] = rows;
  return {
    notifications: Number(row.notifications),
    moves: Number(row.moves),
    checkpoints: Number(row.checkpoints),
    parked: Number(row.parked),
  };
}

/** Each parcel's state as customer service reads it, through the gateway. */
async function parcelStates(bench: Bench, parcels: TrackedParcel[]): Promise<Map<string, string>> {
  const { call, tokens, runId, options } = bench;
  // A handful of agents, so no one of them meets the per-user rate limit of a suite already running.
  const agents = Array.from({ length: 8 }, (_, index) =>
    tokens.sign({ sub: `bench-${runId}-service-${index}`, roles: ['customer-service'], ttlSeconds: 3600 }),
  );
  const states = new Map<string, string>();
  await inParallel(parcels.length, Math.min(options.concurrency, 32), async (index) => {
    const answer = await call('GET', `/api/v1/parcels/${parcels[index].id}`, agents[index % agents.length]);
    states.set(parcels[index].id, answer.status === 200 ? String(answer.body.state) : `HTTP ${answer.status}`);
  });
  return states;
}

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value}×${count}`).join('  ') || 'none';
}
