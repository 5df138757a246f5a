import { newId } from '@mallard/contracts';
import { formatMinorUnits } from '@mallard/money';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../auth/access-token.js';
import { DEV_JWT_SECRET } from '../auth/jwt-secret.js';
import { CONSOLE_CSP, loadConsoleFiles } from './console.js';

interface ConsoleLib {
  readToken(token: string, now?: number): { sub: string; roles: string[]; warehouses: string[]; expiresAt: Date };
  formatMoney(amountMinor: number, currency: string): string;
  problemOf(status: number, body?: unknown): { status: number; title: string; detail?: string };
  parseMoney(text: string, currency: string): number | null;
  newRefundId(): string;
  shortId(id: string): string;
  orderTimeline(order: unknown, trail: unknown, afterSales: unknown): { at: string; kind: string; text: string }[];
  newestOnly(): <T>(ask: () => Promise<T>) => Promise<T | null>;
}

// The browser's own module, plain JavaScript with no type declarations: loaded by URL, typed here.
const lib = (await import(new URL('./public/lib.js', import.meta.url).href)) as ConsoleLib;
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET });

describe('the console’s own logic', () => {
  it('reads the subject, roles and expiry of a gateway token, without trusting it for more', () => {
    const token = tokens.sign({ sub: '张伟', roles: ['customer-service', 'admin'], warehouses: ['wh-east'], ttlSeconds: 600 });
    const claims = lib.readToken(` ${token}\n`);
    expect(claims).toMatchObject({ sub: '张伟', roles: ['customer-service', 'admin'], warehouses: ['wh-east'] });
    expect(claims.expiresAt.getTime()).toBeGreaterThan(Date.now() + 500_000);
  });

  it('refuses what is not a live token', () => {
    const token = tokens.sign({ sub: 'ann', roles: ['admin'], ttlSeconds: 60 });
    expect(() => lib.readToken(token, Date.now() + 61_000)).toThrow(/expired/);
    expect(() => lib.readToken('abc')).toThrow(/three parts/);
    expect(() => lib.readToken('a.%%%.c')).toThrow(/cannot be read/);
    expect(() => lib.readToken(`a.${Buffer.from('{"roles":["admin"]}').toString('base64url')}.c`)).toThrow(/no user/);
  });

  it('shows amounts as libs/money does, with the currency in front', () => {
    for (const [minor, currency] of [
      [0, 'CNY'],
      [5, 'CNY'],
      [123_456_789, 'CNY'],
      [-1500, 'JPY'],
      [1_234_567, 'BHD'],
      [Number.MAX_SAFE_INTEGER, 'USD'],
    ] as const) {
      expect(lib.formatMoney(minor, currency)).toBe(
        `${minor < 0 ? '-' : ''}${currency} ${formatMinorUnits(Math.abs(minor), currency, { separateThousands: true })}`,
      );
    }
    expect(lib.formatMoney(1.5, 'CNY')).toBe('—');
  });

  it('keeps only the newest of a view’s loads: an older answer that arrives after a newer one is dropped', async () => {
    const newest = lib.newestOnly();
    let answerFirst: (text: string) => void = () => {};
    const first = newest(() => new Promise<string>((resolve) => (answerFirst = resolve)));
    const second = newest(async () => 'second filter');
    expect(await second).toBe('second filter');
    answerFirst('first filter');
    expect(await first).toBeNull();
    // One at a time, each keeps its answer; another view's loads are its own.
    expect(await newest(async () => 'third filter')).toBe('third filter');
    const other = lib.newestOnly();
    const pending = newest(async () => 'this view');
    expect(await other(async () => 'that view')).toBe('that view');
    expect(await pending).toBe('this view');
  });

  it('keeps a problem’s members, and names an answer that has none by its status', () => {
    expect(lib.problemOf(404, { type: 't', title: 'Order not found', detail: 'no order x' })).toMatchObject({
      status: 404,
      title: 'Order not found',
      detail: 'no order x',
    });
    expect(lib.problemOf(502, 'Bad gateway')).toEqual({ status: 502, title: 'HTTP 502' });
    expect(lib.problemOf(0).title).toMatch(/cannot be reached/);
  });

  it('reads a typed amount into minor units digit by digit, refusing what is not one', () => {
    expect(lib.parseMoney('12.50', 'CNY')).toBe(1250);
    expect(lib.parseMoney(' 12.5 ', 'CNY')).toBe(1250);
    expect(lib.parseMoney('12', 'CNY')).toBe(1200);
    expect(lib.parseMoney('0.01', 'CNY')).toBe(1);
    expect(lib.parseMoney('1500', 'JPY')).toBe(1500);
    expect(lib.parseMoney('1.234', 'BHD')).toBe(1234);
    // Read from its digits, not through a float: exact however large.
    expect(lib.parseMoney('1234567.89', 'CNY')).toBe(123_456_789);
    for (const [text, currency] of [
      ['1.5', 'JPY'],
      ['12.345', 'CNY'],
      ['0', 'CNY'],
      ['0.00', 'CNY'],
      ['-1', 'CNY'],
      ['+1', 'CNY'],
      ['1,000', 'CNY'],
      ['1e3', 'CNY'],
      ['.5', 'CNY'],
      ['5.', 'CNY'],
      ['', 'CNY'],
      ['99999999999999999', 'CNY'],
    ]) {
      expect(lib.parseMoney(text, currency), `${text} ${currency}`).toBeNull();
    }
    for (const minor of [1, 99, 100, 123_456_789]) {
      expect(lib.parseMoney(lib.formatMoney(minor, 'CNY').replace('CNY ', '').replaceAll(',', ''), 'CNY')).toBe(minor);
    }
  });

  it('makes a fresh refundId each time, of the characters payments takes from staff', () => {
    const ids = new Set(Array.from({ length: 100 }, () => lib.newRefundId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
  });

  it('names ids made in the same moment apart on screen (ids begin with the time they were made)', () => {
    const parcels = Array.from({ length: 50 }, () => newId());
    expect(new Set(parcels.map((id) => lib.shortId(id))).size).toBe(parcels.length);
  });

  it('puts the order’s saga in one timeline, oldest first, from what the API answers', () => {
    const order = {
      currency: 'CNY',
      interceptionRequestedAt: null,
      history: [
        { from: null, to: 'PLACED', reason: null, at: '2026-11-25T10:00:00.000Z' },
        { from: 'PLACED', to: 'AWAITING_PAYMENT', reason: 'stock held', at: '2026-11-25T10:00:01.000Z' },
        { from: 'AWAITING_PAYMENT', to: 'PAID', reason: null, at: '2026-11-25T10:02:00.000Z' },
      ],
      subOrders: [
        {
          id: '5f0c2a7e-1b3d-4e8f-9a6b-7c2d1e0f3a4b',
          compensations: [{ kind: 'PARCEL_REJECTED', refundAmount: 2665, at: '2026-11-28T09:00:00.000Z' }],
        },
      ],
      shipments: [
        {
          parcels: [
            {
              id: 'p-1',
              trackingNumber: 'SF123',
              carrierCode: 'sf-express',
              handedOverAt: '2026-11-26T08:00:00.000Z',
              tracking: [
                {
                  occurredAt: '2026-11-27T08:00:00.000Z',
                  state: 'DELIVERED',
                  provider: 'aftership',
                  providerStatus: 'Delivered_001',
                  message: 'Signed for',
                  location: 'Hangzhou',
                },
                // Older than the handover by the carrier's clock: still placed by its own time.
                {
                  occurredAt: '2026-11-26T07:59:00.000Z',
                  state: null,
                  provider: 'aftership',
                  providerStatus: 'InfoReceived',
                  message: 'Label created',
                  location: null,
                },
              ],
            },
            { id: 'a1b2c3d4-packed', trackingNumber: null, carrierCode: null, handedOverAt: null, tracking: [] },
          ],
        },
      ],
      invoices: [{ kind: 'INVOICE', number: 'mall-00000001', issuedAt: '2026-11-27T09:00:00.000Z' }],
    };
    const trail = {
      payments: [
        {
          serial: 'P1',
          log: [
            { from: null, to: 'CREATED', reason: null, at: '2026-11-25T10:01:00.000Z' },
            { from: 'CREATED', to: 'SUCCEEDED', reason: 'points', at: '2026-11-25T10:02:00.000Z' },
          ],
        },
      ],
      refunds: [
        {
          serial: 'R1',
          amountMinor: 500,
          currency: 'CNY',
          reason: 'goodwill',
          source: 'STAFF',
          requestedBy: 'cs-1',
          state: 'SUCCEEDED',
          failure: null,
          createdAt: '2026-11-28T10:00:00.000Z',
          completedAt: '2026-11-28T10:00:00.000Z',
        },
      ],
    };
    const afterSales = [
      {
        type: 'REFUND_ONLY',
        history: [
          {
            from: null,
            to: 'REQUESTED',
            actor: { kind: 'SHOPPER', id: 'alice' },
            automatic: false,
            note: null,
            at: '2026-11-28T08:00:00.000Z',
          },
          {
            from: 'REQUESTED',
            to: 'REJECTED',
            actor: { kind: 'CUSTOMER_SERVICE', id: 'cs-1' },
            automatic: false,
            note: 'no damage',
            at: '2026-11-28T11:00:00.000Z',
          },
        ],
      },
    ];

    expect(lib.orderTimeline(order, trail, afterSales).map(({ at, kind, text }) => `${at.slice(5, 16)} ${kind}: ${text}`)).toEqual([
      '11-25T10:00 order: Order new → PLACED',
      '11-25T10:00 order: Order PLACED → AWAITING_PAYMENT (stock held)',
      '11-25T10:01 payment: Payment P1 new → CREATED',
      '11-25T10:02 order: Order AWAITING_PAYMENT → PAID',
      '11-25T10:02 payment: Payment P1 CREATED → SUCCEEDED (points)',
      '11-26T07:59 parcel: Parcel SF123 InfoReceived: Label created',
      '11-26T08:00 parcel: Parcel SF123 handed to sf-express',
      '11-27T08:00 parcel: Parcel SF123 DELIVERED: Signed for (Hangzhou)',
      '11-27T09:00 invoice: INVOICE mall-00000001 issued',
      '11-28T08:00 after-sales: After-sales REFUND_ONLY new → REQUESTED by shopper alice',
      '11-28T09:00 sub-order: Sub-order 1e0f3a4b PARCEL_REJECTED: refunded CNY 26.65',
      '11-28T10:00 refund: Refund R1 of CNY 5.00 asked: goodwill (STAFF by cs-1)',
      '11-28T10:00 refund: Refund R1 SUCCEEDED',
      '11-28T11:00 after-sales: After-sales REFUND_ONLY REQUESTED → REJECTED by customer service cs-1: no damage',
    ]);
    // Without the money trail or the requests (not readable just now), the rest still reads.
    expect(lib.orderTimeline({ ...order, shipments: null, invoices: null }, null, null).map((entry) => entry.kind)).toEqual([
      'order',
      'order',
      'order',
      'sub-order',
    ]);
  });

  it('keeps the page’s policy tight: code, styles and calls from the gateway only; images and videos also from blobs the page made', () => {
    const directives = Object.fromEntries(
      CONSOLE_CSP.split('; ').map((directive) => {
        const [name, ...sources] = directive.split(' ');
        return [name, sources];
      }),
    );
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'media-src': ['blob:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('serves preact’s hooks pointed at the preact it serves, and only files of known types', () => {
    const files = loadConsoleFiles();
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['index.html', 'app.js', 'lib.js', 'console.css', 'vendor/preact.mjs', 'vendor/hooks.mjs', 'vendor/htm.mjs']),
    );
    const hooks = files.get('vendor/hooks.mjs')!.body.toString('utf8');
    expect(hooks).toContain('from"./preact.mjs"');
    expect(hooks).not.toMatch(/from\s*["']preact["']/);
    // Every module the page loads imports only files the console serves.
    for (const [name, file] of files) {
      if (!/\.m?js$/.test(name)) continue;
      for (const [, target] of file.body.toString('utf8').matchAll(/(?:from|import)\s*["'](\.[^"']+)["']/g)) {
        const resolved = new URL(target, `https://console/${name}`).pathname.slice(1);
        expect(files.has(resolved), `${name} imports ${target}`).toBe(true);
      }
    }
  });
});
