/**
 * `npm run reconcile -- --provider sandbox --date 2026-11-25 --file settlement.csv`
 *
 * Compares the provider's settlement file with the payments database directly (the service
 * need not run), stores the report in reconciliation_report like the staff endpoint does, prints
 * it as JSON and exits 0 when everything matched, 2 when there are mismatches, 1 on an error.
 * Reads DATABASE_URL and DATABASE_NAME (default mallard_payments) like the service.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PAYMENT_PROVIDERS, type PaymentProviderName } from '@mallard/contracts';
import { withDatabase } from '@mallard/platform';
import { DataSource } from 'typeorm';
import { isCalendarDate } from '../common/text-checks.js';
import { ReconciliationService } from './reconciliation.service.js';
import { ReconciliationReport } from './reconciliation-report.entity.js';

export interface ReconcileArgs {
  provider: PaymentProviderName;
  date: string;
  file: string;
}

export function parseReconcileArgs(argv: string[]): ReconcileArgs {
  const values: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const match = /^--(provider|date|file)(?:=(.*))?$/.exec(argv[index]);
    if (!match) throw new Error(`unknown argument ${argv[index]}`);
    values[match[1]] = match[2] ?? argv[++index] ?? '';
  }
  const { provider, date, file } = values;
  if (!provider || !(PAYMENT_PROVIDERS as readonly string[]).includes(provider))
    throw new Error(`--provider must be one of ${PAYMENT_PROVIDERS.join(', ')}`);
  if (!date || !isCalendarDate(date)) throw new Error('--date must be YYYY-MM-DD, a day of the calendar');
  if (!file) throw new Error('--file is required');
  return { provider: provider as PaymentProviderName, date, file };
}

export async function runReconcileCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  let args: ReconcileArgs;
  try {
    args = parseReconcileArgs(argv);
  } catch (error) {
    process.stderr.write(
      `reconcile: ${(error as Error).message}\nusage: npm run reconcile -- --provider sandbox --date 2026-11-25 --file settlement.csv\n`,
    );
    return 1;
  }
  const serverUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const dataSource = new DataSource({
    type: 'postgres',
    url: withDatabase(serverUrl, env.DATABASE_NAME || 'mallard_payments'),
    entities: [ReconciliationReport],
  });
  try {
    const csv = await readFile(args.file, 'utf8');
    await dataSource.initialize();
    const report = await new ReconciliationService(dataSource).run({ ...args, csv, fileName: path.basename(args.file), createdBy: 'cli' });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.mismatches.length === 0 ? 0 : 2;
  } catch (error) {
    process.stderr.write(`reconcile: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await runReconcileCli(process.argv.slice(2));
}
