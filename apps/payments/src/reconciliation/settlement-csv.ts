import { SETTLEMENT_STATUSES, SETTLEMENT_TYPES } from '@mallard/contracts';

/**
 * The provider settlement file we reconcile against (docs/payments.md, "Settlement file"):
 * UTF-8 CSV, a header row naming the columns (any order, extra columns ignored), one
 * transaction per row:
 *
 *   type,merchant_reference,provider_reference,amount_minor,currency,status,settled_at
 *   PAYMENT,P20261125000000042,sbx_pi_1f2e,12800,CNY,SUCCEEDED,2026-11-25T10:11:12Z
 *   REFUND,R20261125000000043,sbx_re_77aa,3000,CNY,SUCCEEDED,2026-11-25T11:00:00Z
 */
export { SETTLEMENT_STATUSES, SETTLEMENT_TYPES };
export type SettlementType = (typeof SETTLEMENT_TYPES)[number];
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

export const SETTLEMENT_COLUMNS = [
  'type',
  'merchant_reference',
  'provider_reference',
  'amount_minor',
  'currency',
  'status',
  'settled_at',
] as const;
const REQUIRED = ['type', 'merchant_reference', 'amount_minor', 'currency', 'status'] as const;

export interface SettlementRecord {
  type: SettlementType;
  /** Our serial number (P… for a payment, R… for a refund). */
  merchantReference: string;
  providerReference: string | null;
  amountMinor: number;
  currency: string;
  status: SettlementStatus;
  settledAt?: string | null;
  /** Line number in the file, for theirs. */
  line?: number;
}

export class SettlementFormatError extends Error {
  override readonly name = 'SettlementFormatError';
  constructor(readonly problems: string[]) {
    super(
      `the settlement file is malformed: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`,
    );
  }
}

/** One CSV line → fields; double quotes may wrap a field and "" escapes a quote inside one. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        current += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"' && current === '') quoted = true;
    else if (char === ',') {
      fields.push(current);
      current = '';
    } else current += char;
  }
  fields.push(current);
  return fields.map((field) => field.trim());
}

export function toCsv(records: SettlementRecord[]): string {
  const rows = records.map((record) =>
    [
      record.type,
      record.merchantReference,
      record.providerReference ?? '',
      record.amountMinor,
      record.currency,
      record.status,
      record.settledAt ?? '',
    ].join(','),
  );
  return `${SETTLEMENT_COLUMNS.join(',')}\n${rows.join('\n')}${rows.length ? '\n' : ''}`;
}

export function parseSettlementCsv(text: string): SettlementRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new SettlementFormatError(['the file is empty (a header row is required)']);
  const header = splitCsvLine(lines[headerIndex]).map((name) => name.toLowerCase());
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new SettlementFormatError([`header lacks ${missing.join(', ')}`]);
  const at = (fields: string[], column: string) => fields[header.indexOf(column)] ?? '';
  const problems: string[] = [];
  const records: SettlementRecord[] = [];
  for (let index = headerIndex + 1; index < lines.length; index += 1) {
    if (lines[index].trim() === '') continue;
    const lineNumber = index + 1;
    const fields = splitCsvLine(lines[index]);
    const type = at(fields, 'type').toUpperCase();
    const status = at(fields, 'status').toUpperCase();
    const amountText = at(fields, 'amount_minor');
    const currency = at(fields, 'currency').toUpperCase();
    const merchantReference = at(fields, 'merchant_reference');
    const lineProblems: string[] = [];
    if (!(SETTLEMENT_TYPES as readonly string[]).includes(type)) lineProblems.push(`type "${type}"`);
    if (!(SETTLEMENT_STATUSES as readonly string[]).includes(status)) lineProblems.push(`status "${status}"`);
    if (!/^-?\d{1,15}$/.test(amountText)) lineProblems.push(`amount_minor "${amountText}"`);
    if (!/^[A-Z]{3}$/.test(currency)) lineProblems.push(`currency "${currency}"`);
    if (!merchantReference) lineProblems.push('no merchant_reference');
    if (lineProblems.length > 0) {
      problems.push(`line ${lineNumber}: bad ${lineProblems.join(', ')}`);
      continue;
    }
    records.push({
      type: type as SettlementType,
      merchantReference,
      providerReference: at(fields, 'provider_reference') || null,
      amountMinor: Number(amountText),
      currency,
      status: status as SettlementStatus,
      settledAt: at(fields, 'settled_at') || null,
      line: lineNumber,
    });
  }
  if (problems.length > 0) throw new SettlementFormatError(problems);
  return records;
}
