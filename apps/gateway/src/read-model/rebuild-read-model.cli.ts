/**
 * `npm run rebuild-read-model`
 *
 * Rebuilds the gateway's read model (order_view, sub_order_view, parcel_view, refund_view,
 * after_sales_view) from the beginning of the orders, payments, logistics and after-sales topics,
 * under a fresh consumer group, then exits: 0 when rebuilt, 1 when refused (a gateway instance is
 * still consuming, or retention has deleted records and `--allow-partial` was not given) or
 * failed. Stop every gateway instance first and start them again afterwards; run it with the
 * gateway's own environment (KAFKA_*, DATABASE_*, the secrets). See README "Operations" and
 * docs/logistics.md.
 */
import 'reflect-metadata';
import path from 'node:path';
import { rebuildReadModel } from './read-model-rebuild.js';

export async function runRebuildReadModelCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const unknown = argv.filter((argument) => argument !== '--allow-partial');
  if (unknown.length > 0) {
    process.stderr.write(
      `rebuild-read-model: unknown argument ${unknown.join(' ')}\nusage: npm run rebuild-read-model [-- --allow-partial] (the gateway's settings come from the environment)\n`,
    );
    return 1;
  }
  try {
    const outcome = await rebuildReadModel(env, {
      allowPartial: argv.includes('--allow-partial'),
      report: (line) => process.stdout.write(`rebuild-read-model: ${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rebuild-read-model: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await runRebuildReadModelCli(process.argv.slice(2));
}
