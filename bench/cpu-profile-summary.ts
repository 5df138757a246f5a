/**
 * Where a service's time went, from the `.cpuprofile` files `MALLARD_CPU_PROF_DIR=<dir> npm start`
 * leaves when the suite stops (docs/benchmarks.md, "Profiling"):
 *
 *   npm run bench:profile -- <dir or file>... [--last 45] [--skip-end 8] [--top 25]
 *
 * For each profile: the service it ran, then the sampled time by package (self and inclusive)
 * and by function. `--last S` keeps the samples of the last S seconds before the profile ended
 * and `--skip-end S` drops the final S seconds, so a window can be cut around a bench run (the
 * start-up's module loading is otherwise most of a short profile).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  service: string;
  /** Microseconds sampled in the window, idle included. */
  totalMicros: number;
  selfByPackage: Map<string, number>;
  inclusiveByPackage: Map<string, number>;
  selfByFunction: Map<string, number>;
}

/** The package (node_modules name), the repo folder (apps/x/src/feature) or Node's own part a script belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/^\(|\)$/g, '') || 'native'})`;
  const dependency = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const own = /((apps|libs)\/[a-z-]+\/src\/[^/]+)/.exec(url);
  if (own) return own[1].replace(/\.(ts|js|mjs)$/, '');
  if (url.startsWith('node:internal')) return 'node:internal';
  if (url.startsWith('node:')) return url.split('/')[0];
  return path.basename(url);
}

/** Sampled time per package and per function within [end - last, end - skipEnd] (seconds; 0 = no bound). */
export function summarise(profile: CpuProfile, window: { last?: number; skipEnd?: number } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const from = window.last ? profile.endTime - window.last * 1e6 : Number.NEGATIVE_INFINITY;
  const until = window.skipEnd ? profile.endTime - window.skipEnd * 1e6 : Number.POSITIVE_INFINITY;
  const selfByNode = new Map<number, number>();
  let at = profile.startTime;
  for (const [index, nodeId] of profile.samples.entries()) {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at <= from || at > until) continue;
    selfByNode.set(nodeId, (selfByNode.get(nodeId) ?? 0) + delta);
  }
  const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
  const summary: ProfileSummary = {
    service: serviceOf(profile),
    totalMicros: 0,
    selfByPackage: new Map(),
    inclusiveByPackage: new Map(),
    selfByFunction: new Map(),
  };
  for (const [nodeId, micros] of selfByNode) {
    summary.totalMicros += micros;
    const { functionName, url, lineNumber } = byId.get(nodeId)!.callFrame;
    const own = packageOf(url, functionName);
    add(summary.selfByPackage, own, micros);
    add(summary.selfByFunction, url ? `${functionName || '(anonymous)'} ${own}:${lineNumber + 1}` : own, micros);
    // A package counts a sample once however often it is on the stack.
    const onStack = new Set<string>();
    for (let current: number | undefined = nodeId; current !== undefined; current = parentOf.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (frame.url) onStack.add(packageOf(frame.url, frame.functionName));
    }
    for (const name of onStack) add(summary.inclusiveByPackage, name, micros);
  }
  return summary;
}

function serviceOf(profile: CpuProfile): string {
  for (const node of profile.nodes) {
    const main = /apps\/([a-z-]+)\/src\/main\.[jt]s/.exec(node.callFrame.url);
    if (main) return main[1];
  }
  return 'unknown';
}

export function formatSummary(summary: ProfileSummary, top: number): string {
  const busy = summary.totalMicros - (summary.selfByPackage.get('(idle)') ?? 0);
  const table = (title: string, map: Map<string, number>) => [
    `  ${title}`,
    ...[...map]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) =>
          `    ${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / Math.max(busy, 1)).toFixed(1).padStart(5)} %  ${name}`,
      ),
  ];
  return [
    `${summary.service}: ${(summary.totalMicros / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s of it busy (percentages are of the busy time)`,
    ...table('self, by package', summary.selfByPackage),
    ...table('inclusive, by package (on the stack)', summary.inclusiveByPackage),
    ...table('self, by function', summary.selfByFunction),
  ].join('\n');
}

function profileFiles(paths: string[]): string[] {
  return paths.flatMap((entry) =>
    statSync(entry).isDirectory()
      ? readdirSync(entry)
          .filter((name) => name.endsWith('.cpuprofile'))
          .map((name) => path.join(entry, name))
      : [entry],
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { last: { type: 'string' }, 'skip-end': { type: 'string' }, top: { type: 'string', default: '25' } },
  });
  if (positionals.length === 0) {
    console.error('usage: npm run bench:profile -- <dir or .cpuprofile>... [--last S] [--skip-end S] [--top N]');
    process.exit(2);
  }
  for (const file of profileFiles(positionals)) {
    const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, {
      last: values.last ? Number(values.last) : undefined,
      skipEnd: values['skip-end'] ? Number(values['skip-end']) : undefined,
    });
    // Worker threads (the TypeScript loader's) profile too; they hold no service.
    if (summary.service === 'unknown') continue;
    console.log(`${formatSummary(summary, Number(values.top))}\n`);
  }
}
