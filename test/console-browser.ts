/**
 * The console's browser tests' common ground: Debian's chromium through playwright-core, a tab
 * signed in with a token, the header's tabs, and the screenshots the docs show.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';

export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');

export type StaffRole = 'shopper' | 'admin' | 'warehouse' | 'customer-service';

const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });

/** A gateway token for `user` with one role (and, for warehouse staff, their warehouses), for an hour. */
export const tokenFor = (user: string, role: StaffRole, warehouses?: string[]): string =>
  tokens.sign({ sub: user, roles: [role], ttlSeconds: 3600, ...(warehouses ? { warehouses } : {}) });

/** Chromium as CI installs it (CHROMIUM_PATH elsewhere): launched first, so a machine without it fails in seconds. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/**
 * A fresh tab of the console at `gatewayUrl`, signed in with `token`. `errors` collects every
 * script error and every message the page logs as an error (a refused resource, a failed call):
 * a flow that should run clean asserts it stays empty.
 */
export async function signIn(browser: Browser, gatewayUrl: string, token: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${gatewayUrl}/console/`);
  await page.locator('textarea[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, errors };
}

/** The header's tabs, as the signed-in roles open them. */
export const tabsOf = (page: Page): Promise<string[]> => page.locator('header nav button').allTextContents();

/** A full-page screenshot to docs/screenshots/console-<name>.png, for README.md and docs/operations.md. */
export async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}
