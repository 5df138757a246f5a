import { MISMATCH_KINDS } from '@mallard/contracts';
import type { SettlementRecord, SettlementStatus, SettlementType } from './settlement-csv.js';

export { MISMATCH_KINDS };
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

interface Side {
  amountMinor: number;
  currency: string;
  status: SettlementStatus;
  providerReference: string | null;
}

export interface Mismatch {
  kind: MismatchKind;
  type: SettlementType;
  merchantReference: string;
  ours: Side | null;
  theirs: (Side & { line?: number }) | null;
  detail: string;
}

export interface ReconciliationResult {
  matched: number;
  mismatches: Mismatch[];
}

const keyOf = (record: SettlementRecord) => `${record.type}:${record.merchantReference}`;
const side = (record: SettlementRecord): Side => ({
  amountMinor: record.amountMinor,
  currency: record.currency,
  status: record.status,
  providerReference: record.providerReference,
});

/**
 * Compares our provider transactions with the provider's settlement file, matched by type and
 * our serial number. `ours` holds the day's transactions plus any of ours the file names (a
 * transaction near midnight may be booked on the other side's next day). Missing on their side
 * is only reported for money that moved on ours (SUCCEEDED) on that day.
 */
export function reconcile(ours: SettlementRecord[], theirs: SettlementRecord[], oursOfTheDay: ReadonlySet<string>): ReconciliationResult {
  const oursByKey = new Map(ours.map((record) => [keyOf(record), record]));
  const seen = new Set<string>();
  const mismatches: Mismatch[] = [];
  let matched = 0;
  for (const record of theirs) {
    const key = keyOf(record);
    const theirSide = { ...side(record), line: record.line };
    if (seen.has(key)) {
      mismatches.push({
        kind: 'DUPLICATE_IN_FILE',
        type: record.type,
        merchantReference: record.merchantReference,
        ours: null,
        theirs: theirSide,
        detail: `listed more than once (line ${record.line ?? '?'})`,
      });
      continue;
    }
    seen.add(key);
    const mine = oursByKey.get(key);
    if (!mine) {
      mismatches.push({
        kind: 'MISSING_OURS',
        type: record.type,
        merchantReference: record.merchantReference,
        ours: null,
        theirs: theirSide,
        detail: 'the provider has it, we do not',
      });
      continue;
    }
    let clean = true;
    if (mine.amountMinor !== record.amountMinor || mine.currency !== record.currency) {
      clean = false;
      mismatches.push({
        kind: 'AMOUNT_DIFFERS',
        type: record.type,
        merchantReference: record.merchantReference,
        ours: side(mine),
        theirs: theirSide,
        detail: `ours ${mine.amountMinor} ${mine.currency}, theirs ${record.amountMinor} ${record.currency}`,
      });
    }
    if (mine.status !== record.status) {
      clean = false;
      mismatches.push({
        kind: 'STATUS_DIFFERS',
        type: record.type,
        merchantReference: record.merchantReference,
        ours: side(mine),
        theirs: theirSide,
        detail: `ours ${mine.status}, theirs ${record.status}`,
      });
    }
    if (clean) matched += 1;
  }
  for (const record of ours) {
    const key = keyOf(record);
    if (seen.has(key) || !oursOfTheDay.has(key) || record.status !== 'SUCCEEDED') continue;
    mismatches.push({
      kind: 'MISSING_THEIRS',
      type: record.type,
      merchantReference: record.merchantReference,
      ours: side(record),
      theirs: null,
      detail: 'we have it, the provider does not',
    });
  }
  return { matched, mismatches };
}

export function settlementKey(record: Pick<SettlementRecord, 'type' | 'merchantReference'>): string {
  return keyOf(record as SettlementRecord);
}
