/**
 * The kinds of stuck work each service reports, their bounds as the settings make them, and the
 * docs that tell an operator what each one means (docs/operations.md, "Stuck work"; the README's
 * settings table). The counts themselves are checked on the real database in
 * stuck-work.integration.spec.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StuckWorkKind } from '@mallard/messaging';
import { loadConfig } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { AfterSalesConfig } from '../apps/after-sales/src/config/after-sales-config.js';
import { afterSalesStuckWork } from '../apps/after-sales/src/metrics/stuck-work.js';
import { InventoryConfig } from '../apps/inventory/src/config/inventory-config.js';
import { inventoryStuckWork } from '../apps/inventory/src/metrics/stuck-work.js';
import { LogisticsConfig } from '../apps/logistics/src/config/logistics-config.js';
import { logisticsStuckWork } from '../apps/logistics/src/metrics/stuck-work.js';
import { OrdersConfig } from '../apps/orders/src/config/orders-config.js';
import { ordersStuckWork } from '../apps/orders/src/metrics/stuck-work.js';
import { PaymentsConfig } from '../apps/payments/src/config/payments-config.js';
import { paymentsStuckWork } from '../apps/payments/src/metrics/stuck-work.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const base = { PORT: '0', DATABASE_NAME: 'x' };
const bounds = (kinds: StuckWorkKind[]) => Object.fromEntries(kinds.map((kind) => [kind.kind, kind.boundSeconds]));

const services = [
  { name: 'orders', config: OrdersConfig, kinds: ordersStuckWork },
  { name: 'payments', config: PaymentsConfig, kinds: paymentsStuckWork },
  { name: 'inventory', config: InventoryConfig, kinds: inventoryStuckWork },
  { name: 'logistics', config: LogisticsConfig, kinds: logisticsStuckWork },
  { name: 'after-sales', config: AfterSalesConfig, kinds: afterSalesStuckWork },
] as { name: string; config: new () => object; kinds: (config: never) => StuckWorkKind[] }[];

describe('stuck work: the kinds and their bounds', () => {
  it('bounds each kind by its setting, at the documented defaults', () => {
    expect(bounds(ordersStuckWork(loadConfig(OrdersConfig, base)))).toEqual({ order_unpaid_past_window: 300, order_paid_not_split: 600 });
    expect(bounds(paymentsStuckWork(loadConfig(PaymentsConfig, base)))).toEqual({
      payment_pending_past_window: 1_800,
      refund_not_final: 1_800,
    });
    expect(bounds(inventoryStuckWork(loadConfig(InventoryConfig, base)))).toEqual({ hold_past_expiry: 300 });
    expect(bounds(logisticsStuckWork(loadConfig(LogisticsConfig, base)))).toEqual({
      sub_order_not_shipped: 172_800,
      interception_unanswered: 3_600,
    });
    expect(bounds(afterSalesStuckWork(loadConfig(AfterSalesConfig, base)))).toEqual({
      after_sales_awaiting_decision: 172_800,
      after_sales_refund_not_settled: 3_600,
    });
  });

  it('reads the bounds from the settings', () => {
    expect(
      bounds(ordersStuckWork(loadConfig(OrdersConfig, { ...base, STUCK_UNPAID_ORDER_MINUTES: '15', STUCK_PAID_ORDER_MINUTES: '2' }))),
    ).toEqual({
      order_unpaid_past_window: 900,
      order_paid_not_split: 120,
    });
    expect(
      bounds(paymentsStuckWork(loadConfig(PaymentsConfig, { ...base, STUCK_PENDING_PAYMENT_MINUTES: '90', STUCK_REFUND_MINUTES: '45' }))),
    ).toEqual({ payment_pending_past_window: 5_400, refund_not_final: 2_700 });
    expect(
      bounds(
        logisticsStuckWork(
          loadConfig(LogisticsConfig, { ...base, STUCK_UNSHIPPED_SUB_ORDER_HOURS: '72', STUCK_INTERCEPTION_MINUTES: '30' }),
        ),
      ),
    ).toEqual({ sub_order_not_shipped: 259_200, interception_unanswered: 1_800 });
    expect(
      bounds(
        afterSalesStuckWork(
          loadConfig(AfterSalesConfig, { ...base, STUCK_AFTER_SALES_DECISION_HOURS: '24', STUCK_AFTER_SALES_REFUND_MINUTES: '10' }),
        ),
      ),
    ).toEqual({ after_sales_awaiting_decision: 86_400, after_sales_refund_not_settled: 600 });
  });

  it('never counts an item the sweep that clears it has not had two runs to reach', () => {
    // A 10-minute sweep: an unpaid order gets 20 minutes past its window, whatever the setting says.
    expect(bounds(ordersStuckWork(loadConfig(OrdersConfig, { ...base, PAYMENT_WINDOW_SWEEP_MS: '600000' }))).order_unpaid_past_window).toBe(
      1_200,
    );
    expect(bounds(ordersStuckWork(loadConfig(OrdersConfig, { ...base, PAYMENT_WINDOW_SWEEP_MS: '600000' }))).order_paid_not_split).toBe(
      600,
    );
    expect(bounds(inventoryStuckWork(loadConfig(InventoryConfig, { ...base, HOLD_SWEEP_INTERVAL_MS: '3600000' }))).hold_past_expiry).toBe(
      7_200,
    );
    expect(
      bounds(
        inventoryStuckWork(loadConfig(InventoryConfig, { ...base, HOLD_SWEEP_INTERVAL_MS: '60000', STUCK_EXPIRED_HOLD_MINUTES: '30' })),
      ).hold_past_expiry,
    ).toBe(1_800);
  });

  it('refuses a bound of nothing', () => {
    expect(() => loadConfig(OrdersConfig, { ...base, STUCK_PAID_ORDER_MINUTES: '0' })).toThrow(/STUCK_PAID_ORDER_MINUTES/);
    expect(() => loadConfig(LogisticsConfig, { ...base, STUCK_UNSHIPPED_SUB_ORDER_HOURS: 'soon' })).toThrow(
      /STUCK_UNSHIPPED_SUB_ORDER_HOURS/,
    );
  });

  it('documents every kind in docs/operations.md and every bound setting there and in the README', () => {
    const operations = readFileSync(path.join(REPO, 'docs/operations.md'), 'utf8');
    const section = operations.indexOf('\n## Stuck work\n');
    expect(section).toBeGreaterThan(0);
    const next = operations.indexOf('\n## ', section + 1);
    const stuckWork = operations.slice(section, next < 0 ? undefined : next);
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const { name, config, kinds } of services) {
      const settings = Object.keys(loadConfig(config, base)).filter((setting) => setting.startsWith('STUCK_'));
      expect(settings.length, name).toBeGreaterThan(0);
      for (const setting of settings) {
        expect(stuckWork, `${name}: ${setting}`).toContain(`\`${setting}\``);
        expect(readme, `${name}: ${setting}`).toContain(`\`${setting}\``);
      }
      for (const { kind } of kinds(loadConfig(config, base) as never)) expect(stuckWork, `${name}: ${kind}`).toContain(`\`${kind}\``);
    }
  });
});
