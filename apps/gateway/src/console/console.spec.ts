import { formatMinorUnits } from '@mallard/money';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../auth/access-token.js';
import { DEV_JWT_SECRET } from '../auth/jwt-secret.js';
import { loadConsoleFiles } from './console.js';

interface ConsoleLib {
  readToken(token: string, now?: number): { sub: string; roles: string[]; warehouses: string[]; expiresAt: Date };
  formatMoney(amountMinor: number, currency: string): string;
  problemOf(status: number, body?: unknown): { status: number; title: string; detail?: string };
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

  it('keeps a problem’s members, and names an answer that has none by its status', () => {
    expect(lib.problemOf(404, { type: 't', title: 'Order not found', detail: 'no order x' })).toMatchObject({
      status: 404,
      title: 'Order not found',
      detail: 'no order x',
    });
    expect(lib.problemOf(502, 'Bad gateway')).toEqual({ status: 502, title: 'HTTP 502' });
    expect(lib.problemOf(0).title).toMatch(/cannot be reached/);
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
