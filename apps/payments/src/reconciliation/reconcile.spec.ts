import { describe, expect, it } from 'vitest';
import { parseReconcileArgs } from './reconcile.cli.js';
import { reconcile, settlementKey } from './reconcile.js';
import { parseSettlementCsv, SettlementFormatError, type SettlementRecord, toCsv } from './settlement-csv.js';

const record = (
  merchantReference: string,
  amountMinor: number,
  status: SettlementRecord['status'] = 'SUCCEEDED',
  type: SettlementRecord['type'] = 'PAYMENT',
): SettlementRecord => ({
  type,
  merchantReference,
  providerReference: `ref-${merchantReference}`,
  amountMinor,
  currency: 'CNY',
  status,
});

describe('settlement CSV', () => {
  it('reads the documented columns in any order, with quotes, and round-trips', () => {
    const text =
      '\uFEFFstatus,type,amount_minor,currency,merchant_reference,provider_reference,extra\r\nSUCCEEDED,PAYMENT,1200,CNY,P1,"pi,1",x\n\nsucceeded,refund,300,cny,R1,,y\n';
    expect(parseSettlementCsv(text)).toEqual([
      {
        type: 'PAYMENT',
        merchantReference: 'P1',
        providerReference: 'pi,1',
        amountMinor: 1_200,
        currency: 'CNY',
        status: 'SUCCEEDED',
        settledAt: null,
        line: 2,
      },
      {
        type: 'REFUND',
        merchantReference: 'R1',
        providerReference: null,
        amountMinor: 300,
        currency: 'CNY',
        status: 'SUCCEEDED',
        settledAt: null,
        line: 4,
      },
    ]);
    const records = [record('P1', 5), record('R2', 6, 'SUCCEEDED', 'REFUND')];
    expect(parseSettlementCsv(toCsv(records)).map(({ line: _, settledAt: __, ...rest }) => rest)).toEqual(records);
  });

  it('names every bad line', () => {
    expect(() => parseSettlementCsv('')).toThrow(SettlementFormatError);
    expect(() => parseSettlementCsv('type,amount_minor\n')).toThrow(/header lacks merchant_reference, currency, status/);
    try {
      parseSettlementCsv('type,merchant_reference,amount_minor,currency,status\nPAYMENT,P1,12.5,CNY,SUCCEEDED\nCHARGE,P2,1,CNY,DONE');
    } catch (error) {
      expect((error as SettlementFormatError).problems).toEqual([
        'line 2: bad amount_minor "12.5"',
        'line 3: bad type "CHARGE", status "DONE"',
      ]);
    }
  });
});

describe('reconcile', () => {
  it('reports missing on either side, amounts and statuses that differ, and duplicates', () => {
    const ours = [
      record('P1', 100),
      record('P2', 200),
      record('P3', 300),
      record('P4', 400),
      record('P5', 500, 'PENDING'),
      record('R1', 50, 'SUCCEEDED', 'REFUND'),
    ];
    const theirs = [
      record('P1', 100),
      record('P2', 201),
      record('P3', 300, 'FAILED'),
      record('P9', 900),
      record('R1', 50, 'SUCCEEDED', 'REFUND'),
      record('R1', 50, 'SUCCEEDED', 'REFUND'),
    ];
    const result = reconcile(ours, theirs, new Set(ours.map(settlementKey)));
    expect(result.matched).toBe(2);
    expect(result.mismatches.map((m) => [m.kind, m.merchantReference])).toEqual([
      ['AMOUNT_DIFFERS', 'P2'],
      ['STATUS_DIFFERS', 'P3'],
      ['MISSING_OURS', 'P9'],
      ['DUPLICATE_IN_FILE', 'R1'],
      ['MISSING_THEIRS', 'P4'],
    ]);
  });

  it('does not call ours missing on their side when it belongs to another day or moved no money', () => {
    const ours = [record('P1', 100), record('P2', 200, 'FAILED')];
    expect(reconcile(ours, [], new Set([settlementKey(ours[1])])).mismatches).toEqual([]);
  });
});

describe('npm run reconcile arguments', () => {
  it('reads --provider, --date and --file, in both spellings', () => {
    expect(parseReconcileArgs(['--provider', 'sandbox', '--date=2026-11-25', '--file', 'x.csv'])).toEqual({
      provider: 'sandbox',
      date: '2026-11-25',
      file: 'x.csv',
    });
    expect(() => parseReconcileArgs(['--provider', 'paypal', '--date', '2026-11-25', '--file', 'x'])).toThrow(/provider/);
    expect(() => parseReconcileArgs(['--provider', 'sandbox', '--date', '25/11/2026', '--file', 'x'])).toThrow(/date/);
    expect(() => parseReconcileArgs(['--provider', 'sandbox', '--date', '2026-11-25'])).toThrow(/file/);
  });
});
