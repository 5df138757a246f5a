/**
 * `npm run dlq -- <command>`: the dead-letter desk for operators (docs/operations.md).
 *
 *   groups                                     consumer groups that have a dead-letter topic, with counts
 *   list <group> [--status PENDING|REPLAYED|DISCARDED] [--json]
 *   show <group> <id>                          one letter whole: headers, body, history (JSON)
 *   replay <group> <id> --by <name> --why <text> [--force]
 *   discard <group> <id> --by <name> --why <text> [--force]
 *
 * Talks to KAFKA_BROKERS (default 127.0.0.1:9092) under KAFKA_TOPIC_PREFIX, like the services;
 * INBOX_RETENTION_DAYS (default 8) must be the consumers' own. Exit codes: 0 done, 1 usage or
 * failure, 2 no such group or letter, 3 refused (already replayed or discarded, or an event
 * older than the inbox retention: repeat with --force only on purpose).
 */
import path from 'node:path';
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from '@mallard/contracts';
import { pino } from 'pino';
import { KafkaJsBroker } from '../broker/kafkajs-broker.js';
import type { DeadLetter } from './dead-letter.js';
import {
  DEFAULT_INBOX_RETENTION_DAYS,
  DeadLetterActionRefused,
  DeadLetterDesk,
  DeadLetterGroupNotFound,
  DeadLetterNotFound,
} from './dead-letter-desk.js';

const USAGE = `usage: npm run dlq -- groups
       npm run dlq -- list <group> [--status PENDING|REPLAYED|DISCARDED] [--json]
       npm run dlq -- show <group> <id>
       npm run dlq -- replay <group> <id> --by <name> --why "<text>" [--force]
       npm run dlq -- discard <group> <id> --by <name> --why "<text>" [--force]
(Kafka from KAFKA_BROKERS and KAFKA_TOPIC_PREFIX; see docs/operations.md)`;

export const EXIT = { done: 0, failed: 1, notFound: 2, refused: 3 } as const;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  options: Map<string, string | true>;
}

const VALUED = new Set(['--status', '--by', '--why']);
const FLAGS = new Set(['--force', '--json']);

function parse(argv: string[]): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const [name, inline] = argument.startsWith('--') ? (argument.split(/=(.*)/s, 2) as [string, string?]) : [argument];
    if (VALUED.has(name)) {
      const value = inline ?? argv[++index];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      options.set(name, value);
    } else if (FLAGS.has(name)) {
      options.set(name, true);
    } else if (argument.startsWith('--')) {
      throw new UsageError(`unknown option ${argument}`);
    } else {
      positional.push(argument);
    }
  }
  return { positional, options };
}

function text(options: Map<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  return typeof value === 'string' ? value : undefined;
}

function row(letter: DeadLetter): string {
  const last = letter.history.at(-1);
  return [
    letter.id.padStart(6),
    letter.status.padEnd(9),
    letter.kind.padEnd(17),
    (letter.eventType ?? '-').padEnd(32),
    (letter.eventId ?? '-').padEnd(36),
    letter.failedAt ?? '-',
    last ? `  ${last.action} by ${last.by}: ${last.why}` : '',
    `\n        ${letter.reason}`,
  ].join(' ');
}

export async function runDlqCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    err(`dlq: ${(error as Error).message}\n${USAGE}`);
    return EXIT.failed;
  }
  const [command, group, id, ...extra] = parsed.positional;
  const needs = { groups: 1, list: 2, show: 3, replay: 3, discard: 3 }[command ?? ''];
  if (!needs || parsed.positional.length !== needs || extra.length > 0) {
    err(command ? `dlq: wrong arguments for ${command}\n${USAGE}` : USAGE);
    return EXIT.failed;
  }
  const status = text(parsed.options, '--status')?.toUpperCase();
  if (status !== undefined && !DEAD_LETTER_STATUSES.includes(status as DeadLetterStatus)) {
    err(`dlq: --status must be one of ${DEAD_LETTER_STATUSES.join(', ')}`);
    return EXIT.failed;
  }
  const brokers = env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const broker = new KafkaJsBroker({
    clientId: 'mallard-dlq',
    brokers: brokers.split(','),
    logger: pino({ level: 'error' }),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
  });
  const inboxRetentionDays = Number(env.INBOX_RETENTION_DAYS ?? DEFAULT_INBOX_RETENTION_DAYS);
  const desk = new DeadLetterDesk(broker, { inboxRetentionDays });
  try {
    if (command === 'groups') {
      const groups = await desk.groups();
      if (groups.length === 0) out('no consumer group has dead letters');
      for (const summary of groups) {
        out(
          `${summary.consumerGroup.padEnd(40)} ${String(summary.total).padStart(5)} letter(s): ` +
            `${summary.pending} pending, ${summary.replayed} replayed, ${summary.discarded} discarded`,
        );
      }
    } else if (command === 'list') {
      const letters = await desk.list(group, status as DeadLetterStatus | undefined);
      if (parsed.options.has('--json')) out(JSON.stringify(letters, null, 2));
      else if (letters.length === 0) out(`no ${status ? `${status} ` : ''}dead letters for ${group}`);
      else for (const letter of letters) out(row(letter));
    } else if (command === 'show') {
      out(JSON.stringify(await desk.show(group, id), null, 2));
    } else {
      const request = {
        by: text(parsed.options, '--by') ?? '',
        why: text(parsed.options, '--why') ?? '',
        force: parsed.options.has('--force'),
      };
      const letter = command === 'replay' ? await desk.replay(group, id, request) : await desk.discard(group, id, request);
      out(
        command === 'replay'
          ? `replayed ${group} dead letter ${letter.id} to ${letter.sourceTopic} (event ${letter.eventId ?? 'without an id'}); recorded for ${request.by.trim()}`
          : `discarded ${group} dead letter ${letter.id}; recorded for ${request.by.trim()}`,
      );
    }
    return EXIT.done;
  } catch (error) {
    err(`dlq: ${(error as Error).message}`);
    if (error instanceof DeadLetterGroupNotFound || error instanceof DeadLetterNotFound) return EXIT.notFound;
    if (error instanceof DeadLetterActionRefused) return error.code === 'input' ? EXIT.failed : EXIT.refused;
    return EXIT.failed;
  } finally {
    await broker.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await runDlqCli(process.argv.slice(2));
}
