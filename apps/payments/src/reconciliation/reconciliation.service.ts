import { createHash } from 'node:crypto';
import { newId, type PaymentProviderName } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasControlCharacters, hasNul, isCalendarDate } from '../common/text-checks.js';
import { reconcile, settlementKey } from './reconcile.js';
import { reconciliationProblems } from './reconciliation.problems.js';
import { ReconciliationReport } from './reconciliation-report.entity.js';
import { parseSettlementCsv, SettlementFormatError, type SettlementRecord, type SettlementStatus } from './settlement-csv.js';

export interface ReconciliationInput {
  provider: PaymentProviderName;
  /** YYYY-MM-DD, a UTC day. */
  date: string;
  csv: string;
  fileName?: string | null;
  createdBy?: string | null;
}

const DAY = (column: string, parameter: string) =>
  `(${column} >= (${parameter}::date)::timestamp AT TIME ZONE 'UTC' AND ${column} < (${parameter}::date + 1)::timestamp AT TIME ZONE 'UTC')`;

const TENDER_STATUS: Record<string, SettlementStatus> = { CAPTURED: 'SUCCEEDED', HELD: 'PENDING', RELEASED: 'FAILED' };

/**
 * Where our provider parts of each kind live (`part`, joined to the payment or refund that
 * `owner` names, whose serial is the merchant reference), where the provider's reference is kept
 * (on the payment; on each refund part), when each counts as settled, and its state as a
 * settlement status (a refund part's states already are).
 */
const OUR_PROVIDER_PARTS: Record<
  SettlementRecord['type'],
  { parts: string; providerRef: string; settledAt: string; status: (state: string) => SettlementStatus }
> = {
  PAYMENT: {
    parts: 'tender part JOIN payment owner ON owner.id = part.payment_id',
    providerRef: 'owner.provider_ref',
    settledAt: 'COALESCE(part.captured_at, owner.created_at)',
    status: (state) => TENDER_STATUS[state],
  },
  REFUND: {
    parts: 'refund_part part JOIN refund owner ON owner.id = part.refund_id',
    providerRef: 'part.provider_ref',
    settledAt: 'COALESCE(part.completed_at, owner.created_at)',
    status: (state) => state as SettlementStatus,
  },
};

/**
 * Compares our provider transactions of one UTC day with the provider's settlement file and
 * stores the report. Used by the staff endpoint and by the `npm run reconcile` command, which
 * builds it on a bare DataSource (no Nest), hence no other dependency.
 */
@Injectable()
export class ReconciliationService {
  constructor(private readonly dataSource: DataSource) {}

  async run(input: ReconciliationInput): Promise<ReconciliationReport> {
    if (!isCalendarDate(input.date)) throw reconciliationProblems.badSettlementDate(input.date);
    if (hasNul(input.csv) || (input.fileName !== undefined && input.fileName !== null && hasControlCharacters(input.fileName))) {
      throw reconciliationProblems.settlementTextInvalid();
    }
    let theirs: SettlementRecord[];
    try {
      theirs = parseSettlementCsv(input.csv);
    } catch (error) {
      if (error instanceof SettlementFormatError) {
        throw reconciliationProblems.settlementFileMalformed(error);
      }
      throw error;
    }
    const { ours, ofTheDay } = await this.ours(
      input.provider,
      input.date,
      theirs.map((record) => record.merchantReference),
    );
    const result = reconcile(ours, theirs, ofTheDay);
    const report = this.dataSource.getRepository(ReconciliationReport).create({
      id: newId(),
      provider: input.provider,
      settlementDate: input.date,
      fileName: input.fileName ?? null,
      fileSha256: createHash('sha256').update(input.csv).digest('hex'),
      oursCount: ofTheDay.size,
      theirsCount: theirs.length,
      matchedCount: result.matched,
      mismatches: result.mismatches,
      createdBy: input.createdBy ?? null,
      createdAt: new Date(),
    });
    await this.dataSource.getRepository(ReconciliationReport).insert(report);
    return report;
  }

  find(id: string): Promise<ReconciliationReport | null> {
    return this.dataSource.getRepository(ReconciliationReport).findOneBy({ id });
  }

  list(provider?: string, date?: string): Promise<ReconciliationReport[]> {
    if (date !== undefined && !isCalendarDate(date)) throw reconciliationProblems.badSettlementDate(date);
    if (provider !== undefined && hasNul(provider)) return Promise.resolve([]);
    return this.dataSource.getRepository(ReconciliationReport).find({
      where: { ...(provider ? { provider } : {}), ...(date ? { settlementDate: date } : {}) },
      order: { createdAt: 'DESC' },
      take: 100,
    });
  }

  /** Our side: the provider parts of payments and refunds of that day, plus any the file names. */
  private async ours(provider: string, date: string, references: string[]): Promise<{ ours: SettlementRecord[]; ofTheDay: Set<string> }> {
    const ours = [
      ...(await this.providerParts('PAYMENT', provider, date, references)),
      ...(await this.providerParts('REFUND', provider, date, references)),
    ];
    return {
      ours: ours.map(({ ofTheDay: _, ...record }) => record),
      ofTheDay: new Set(ours.filter((record) => record.ofTheDay).map((record) => settlementKey(record))),
    };
  }

  /** The provider parts of one kind (tenders of payments, parts of refunds) settled that day or named in the file. */
  private async providerParts(
    type: SettlementRecord['type'],
    provider: string,
    date: string,
    references: string[],
  ): Promise<(SettlementRecord & { ofTheDay: boolean })[]> {
    const { parts, providerRef, settledAt, status } = OUR_PROVIDER_PARTS[type];
    const rows = (await this.dataSource.query(
      `SELECT owner.serial, ${providerRef} AS provider_ref, part.amount_minor, owner.currency, part.state,
              ${DAY(settledAt, '$2')} AS of_the_day
       FROM ${parts}
       WHERE part.type = 'PROVIDER' AND part.provider = $1
         AND (${DAY(settledAt, '$2')} OR owner.serial = ANY($3))`,
      [provider, date, references],
    )) as { serial: string; provider_ref: string | null; amount_minor: string; currency: string; state: string; of_the_day: boolean }[];
    return rows.map((row) => ({
      type,
      merchantReference: row.serial,
      providerReference: row.provider_ref,
      amountMinor: Number(row.amount_minor),
      currency: row.currency.trim(),
      status: status(row.state),
      ofTheDay: row.of_the_day,
    }));
  }
}
