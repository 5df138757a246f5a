import { describe, expect, it } from 'vitest';
import { unusableReportReason } from './report-checks.js';
import type { TrackingReport } from './tracking-report.js';

const report = (overrides: Partial<TrackingReport> = {}): TrackingReport => ({
  provider: 'aftership',
  eventKey: 'evt-1',
  providerEventType: 'tracking_update',
  carrierCode: 'sf-express',
  providerCarrierCode: 'sf-express',
  trackingNumber: 'SF1234567890',
  checkpoints: [
    {
      occurredAt: new Date('2026-03-10T12:00:00Z'),
      providerStatus: 'InTransit_002',
      state: 'IN_TRANSIT',
      message: 'Departed',
      location: null,
    },
  ],
  ...overrides,
});
const parcel = { parcelId: null, ref: null, carrierCode: 'zto', trackingNumber: 'ZT1', lines: [{ skuId: 'sku-1', quantity: 1 }] };

describe('unusableReportReason', () => {
  it('accepts a well-formed report', () => {
    expect(unusableReportReason(report())).toBeNull();
    expect(
      unusableReportReason(
        report({ trackingNumber: null, carrierCode: null, subOrderId: '0b6c1a38-5a2f-4f0e-9f57-1a4c3e2d9b10', parcels: [parcel] }),
      ),
    ).toBeNull();
  });

  it('refuses ids with control characters, non-UUID ids of ours, bad quantities and times, and a report about nothing', () => {
    expect(unusableReportReason(report({ eventKey: 'evt\u0000' }))).toMatch(/event id/);
    expect(unusableReportReason(report({ trackingNumber: 'x'.repeat(65) }))).toMatch(/tracking number/);
    expect(unusableReportReason(report({ subOrderId: 'not-a-uuid' }))).toMatch(/sub-order/);
    expect(unusableReportReason(report({ parcels: [{ ...parcel, lines: [{ skuId: 'sku-1', quantity: 0 }] }] }))).toMatch(/quantity/);
    expect(unusableReportReason(report({ parcels: [{ ...parcel, lines: [] }] }))).toMatch(/neither our id nor lines/);
    expect(unusableReportReason(report({ parcels: [parcel, parcel] }))).toMatch(/twice/);
    expect(unusableReportReason(report({ checkpoints: [{ ...report().checkpoints[0], occurredAt: new Date(Number.NaN) }] }))).toMatch(
      /time/,
    );
    expect(unusableReportReason(report({ trackingNumber: null }))).toMatch(/neither a tracking number nor a sub-order/);
  });
});
