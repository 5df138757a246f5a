/**
 * The alert rules and the Grafana dashboards, checked against the code that feeds them:
 *
 * - promtool (Debian's `prometheus` package) checks deploy/prometheus/alerts.yml and
 *   prometheus.yml, and runs the rules' unit tests (alerts.test.yml);
 * - every metric an alert, an alert test or a dashboard names must be one a service exports:
 *   the names are read from the prom-client metrics constructed in apps/ and libs/ (plus
 *   prom-client's default metrics, which every registry collects), not from a list kept here;
 * - each alert has its severity, its annotations, a test that shows it firing and not firing,
 *   and a runbook section in docs/operations.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICE_NAMES, SERVICES } from '../libs/contracts/src/services.js';

// Parsed YAML and dashboard JSON are untyped data; the tests below are what checks their shape.
type Data = any;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROMETHEUS_DIR = 'deploy/prometheus';
const GRAFANA_DIR = 'deploy/grafana';
const read = (file: string): string => fs.readFileSync(path.join(REPO, file), 'utf8');
/** How a panel names the dashboard's `datasource` variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, meant literally.
const DATASOURCE_VARIABLE = '${datasource}';

/** Series Prometheus makes for every target it scrapes; no service exports them. */
const PROMETHEUS_TARGET_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_series_added'];

// ---------------------------------------------------------------------------------------------
// What the services export
// ---------------------------------------------------------------------------------------------

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

interface Exported {
  /** The service whose app defines it; '*' for a lib's (every service) and for prom-client's defaults. */
  owners: Set<string>;
  /** The name the code gives, for a histogram's or summary's series. */
  base: string;
}

/** The series names a metric of that type puts on /metrics. */
function seriesOf(name: string, type: MetricType): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/** The source files of the services, untracked new ones included, specs left out (their metrics are the tests'). */
function serviceSources(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'apps', 'libs'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter(
      (file) =>
        file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.startsWith('libs/testing/') && fs.existsSync(path.join(REPO, file)),
    );
}

/** The object literal that starts at `open` (a `{`), braces inside strings and comments skipped. */
function objectLiteralAt(text: string, open: number): string {
  let depth = 0;
  for (let at = open; at < text.length; at += 1) {
    const char = text[at];
    if (char === "'" || char === '"' || char === '`') {
      at += 1;
      while (at < text.length && text[at] !== char) at += text[at] === '\\' ? 2 : 1;
    } else if (char === '/' && text[at + 1] === '/') {
      at = text.indexOf('\n', at);
      if (at < 0) break;
    } else if (char === '/' && text[at + 1] === '*') {
      at = text.indexOf('*/', at) + 1;
      if (at <= 0) break;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(open, at + 1);
    }
  }
  throw new Error(`unbalanced object literal at ${open}`);
}

/**
 * Every `new Counter|Gauge|Histogram|Summary({ name: '…' })` of prom-client in the services'
 * sources. A construction whose name is not a string literal is reported as unreadable rather
 * than skipped, so no metric slips past the check.
 */
function metricsConstructedInCode(): { exported: Map<string, Exported>; unreadable: string[]; collectsDefaults: boolean } {
  const exported = new Map<string, Exported>();
  const unreadable: string[] = [];
  let collectsDefaults = false;
  const add = (name: string, type: MetricType, owner: string) => {
    for (const series of seriesOf(name, type)) {
      const entry = exported.get(series) ?? { owners: new Set<string>(), base: name };
      entry.owners.add(owner);
      exported.set(series, entry);
    }
  };
  for (const file of serviceSources()) {
    const text = read(file);
    if (/\bcollectDefaultMetrics\s*\(/.test(text)) collectsDefaults = true;
    const owner = file.startsWith('apps/') ? file.split('/')[1] : '*';
    for (const match of text.matchAll(/\bnew\s+(?:\w+\.)?(Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\s*\(\s*\{/g)) {
      const literal = objectLiteralAt(text, match.index + match[0].length - 1);
      // Only the object's own properties: nested objects (a collect() body) are emptied first.
      let own = literal.slice(1, -1);
      while (/\{[^{}]*\}/.test(own)) own = own.replace(/\{[^{}]*\}/g, '');
      const name = /(?:^|[\s,])name\s*:\s*(['"`])([a-zA-Z_:][a-zA-Z0-9_:]*)\1/.exec(own)?.[2];
      const line = text.slice(0, match.index).split('\n').length;
      if (name) add(name, match[1].toLowerCase() as MetricType, owner);
      else unreadable.push(`${file}:${line}`);
    }
  }
  return { exported, unreadable, collectsDefaults };
}

/** prom-client's default metrics, as this version of it names them on this platform. */
async function defaultMetrics(): Promise<{ name: string; type: MetricType }[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  registry.clear();
  return metrics.map((metric) => ({ name: metric.name, type: String(metric.type) as MetricType }));
}

// ---------------------------------------------------------------------------------------------
// What the alerts and dashboards use
// ---------------------------------------------------------------------------------------------

const PROMQL_KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
  'atan2',
]);

/**
 * The metric names a PromQL expression selects. What is not a metric name is taken out first:
 * string literals (label values, regexes), Grafana variables, label matchers `{…}`, ranges and
 * subqueries `[…]`, the label lists of by/without/on/ignoring/group_left/group_right, comments.
 * What remains is functions (a name before `(`), keywords, numbers and durations, and the
 * metric names.
 */
function metricNamesIn(expression: string): string[] {
  const text = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/#[^\n]*/g, '')
    .replace(/\$\{[^}]*\}|\$\w+/g, '1')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.:$])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    if (!PROMQL_KEYWORDS.has(match[1].toLowerCase())) names.add(match[1]);
  }
  return [...names];
}

/** Each selector `name{…}` of an expression with the service its matchers name literally, if any. */
function servicesSelected(expression: string): { metric: string; service: string }[] {
  const found: { metric: string; service: string }[] = [];
  for (const match of expression.matchAll(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)) {
    const service = /(?:^|[\s,])service\s*=\s*"([^"$]+)"/.exec(match[2])?.[1];
    if (service) found.push({ metric: match[1], service });
  }
  return found;
}

interface Use {
  expression: string;
  where: string;
}

const alertsFile = `${PROMETHEUS_DIR}/alerts.yml`;
const alertTestsFile = `${PROMETHEUS_DIR}/alerts.test.yml`;
const alertGroups: Data[] = parse(read(alertsFile)).groups ?? [];
const alertRules: Data[] = alertGroups.flatMap((group) => group.rules ?? []);
const alertTests: Data[] = parse(read(alertTestsFile)).tests ?? [];

const dashboardFiles = fs
  .readdirSync(path.join(REPO, GRAFANA_DIR))
  .filter((file) => file.endsWith('.json'))
  .map((file) => `${GRAFANA_DIR}/${file}`);
const dashboards: [string, Data][] = dashboardFiles.map((file) => [file, JSON.parse(read(file))]);

/** Panels of a dashboard, those inside collapsed rows included. */
const panelsOf = (dashboard: Data): Data[] => (dashboard.panels ?? []).flatMap((panel: Data) => [panel, ...(panel.panels ?? [])]);

function uses(): Use[] {
  const found: Use[] = [];
  for (const rule of alertRules) found.push({ expression: rule.expr, where: `${alertsFile}: ${rule.alert ?? rule.record}` });
  for (const [index, test] of alertTests.entries()) {
    for (const input of test.input_series ?? [])
      found.push({ expression: input.series, where: `${alertTestsFile}: test ${index + 1}, input series` });
  }
  for (const [file, dashboard] of dashboards) {
    for (const panel of panelsOf(dashboard)) {
      for (const target of panel.targets ?? [])
        found.push({ expression: target.expr ?? '', where: `${file}: panel "${panel.title}" (${target.refId})` });
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
      // label_values(selector, label) and query_result(expr) hold PromQL; label_values(label) none.
      const inner = /^\s*(?:label_values\((.*),\s*\w+\s*\)|query_result\((.*)\))\s*$/s.exec(query);
      if (inner) found.push({ expression: inner[1] ?? inner[2], where: `${file}: variable ${variable.name}` });
    }
  }
  return found;
}

/** What the services export, prom-client's default metrics included. */
async function everythingExported(): Promise<Map<string, Exported>> {
  const { exported, collectsDefaults } = metricsConstructedInCode();
  if (collectsDefaults) {
    for (const { name, type } of await defaultMetrics()) {
      for (const series of seriesOf(name, type)) exported.set(series, { owners: new Set(['*']), base: name });
    }
  }
  return exported;
}

/** The uses of a metric no service exports, and of a service's own metric asked of another service. */
function checkUses(all: readonly Use[], exported: Map<string, Exported>): { unknown: string[]; elsewhere: string[] } {
  const known = new Set([...exported.keys(), ...PROMETHEUS_TARGET_SERIES]);
  const bases = new Map([...exported.values()].map((entry) => [entry.base, entry]));
  const unknown: string[] = [];
  const elsewhere: string[] = [];
  for (const { expression, where } of all) {
    for (const name of metricNamesIn(expression)) {
      if (known.has(name)) continue;
      const hint = bases.has(name) ? ` (a histogram: use ${name}_bucket, _sum or _count)` : '';
      unknown.push(`${name} in ${where}${hint}`);
    }
    for (const { metric, service } of servicesSelected(expression)) {
      const owners = exported.get(metric)?.owners;
      if (owners && !owners.has('*') && !owners.has(service)) {
        elsewhere.push(`${metric} with service="${service}" in ${where} (exported only by ${[...owners].join(', ')})`);
      }
    }
  }
  return { unknown, elsewhere };
}

// ---------------------------------------------------------------------------------------------

function promtool(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: REPO, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      "promtool is not installed: it comes with Debian's `prometheus` package " +
        '(apt-get install --no-install-recommends prometheus; .ci/run installs it on a fresh machine)',
    );
  }
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('alert rules under promtool', () => {
  it('checks the rules', () => {
    const { status, output } = promtool(['check', 'rules', alertsFile]);
    expect(status, output).toBe(0);
  });

  it('passes the rules unit tests', () => {
    const { status, output } = promtool(['test', 'rules', alertTestsFile]);
    expect(status, output).toBe(0);
  });

  it('checks the example Prometheus configuration', () => {
    const { status, output } = promtool(['check', 'config', `${PROMETHEUS_DIR}/prometheus.yml`]);
    expect(status, output).toBe(0);
  });
});

describe('metrics the alerts and dashboards use', () => {
  it('extracts metric names from PromQL, not functions, labels, keywords or numbers', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!~"/metrics|x{1}"}[$__rate_interval]))) > 1e3',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(
      metricNamesIn('a_total unless on (job) b offset 10m or sum(c{x="y"}) by (z) / ignoring(instance) group_left(d) e > bool 0x1f'),
    ).toEqual(['a_total', 'b', 'c', 'e']);
    expect(metricNamesIn('up{job="mallard"} == 0 # a comment naming not_a_metric')).toEqual(['up']);
  });

  it('reads every prom-client metric of the services by its literal name', () => {
    const { exported, unreadable, collectsDefaults } = metricsConstructedInCode();
    expect(unreadable, 'metrics constructed without a literal `name:` (give them one)').toEqual([]);
    expect(collectsDefaults).toBe(true);
    // A few the services are known to have, so a broken scan cannot pass for an empty one.
    for (const name of [
      'http_request_duration_seconds_bucket',
      'events_consumed_total',
      'outbox_backlog_events',
      'consumer_lag_messages',
    ]) {
      expect(exported.has(name), name).toBe(true);
    }
  });

  it('uses only metrics the services export, and a service-only metric only with its service', async () => {
    const exported = await everythingExported();
    const all = uses();
    expect(all.length).toBeGreaterThan(50);
    const { unknown, elsewhere } = checkUses(all, exported);
    expect(unknown, 'metrics no service exports').toEqual([]);
    expect(elsewhere, 'metrics asked of a service that does not export them').toEqual([]);
  });

  it('catches a misspelt metric name, and a service’s own metric asked of another service', async () => {
    const exported = await everythingExported();
    const { unknown, elsewhere } = checkUses(
      [
        { expression: 'sum(rate(parcels_shiped_total{service="logistics"}[5m]))', where: 'misspelt' },
        { expression: 'sum(rate(parcels_delivered_total{service="orders"}[5m]))', where: 'wrong service' },
        { expression: 'sum(rate(after_sales_returns_received_total{service="after-sales"}[5m]))', where: 'right' },
      ],
      exported,
    );
    expect(unknown).toEqual(['parcels_shiped_total in misspelt']);
    expect(elsewhere).toEqual(['parcels_delivered_total with service="orders" in wrong service (exported only by logistics)']);
  });

  it('lists every metric the services construct in the metrics table of docs/operations.md', () => {
    const table = read('docs/operations.md').split('## Metrics')[1].split('\n## ')[0];
    const listed = new Set([...table.matchAll(/`([a-zA-Z_:][\w:]*)(?:\{[^}`]*\})?`/g)].map((match) => match[1]));
    const bases = new Set([...metricsConstructedInCode().exported.values()].map((entry) => entry.base));
    expect([...bases].filter((name) => !listed.has(name))).toEqual([]);
  });
});

describe('the alerts', () => {
  const operations = read('docs/operations.md');
  /** GitHub's anchors of the headings: lower case, punctuation dropped, spaces to hyphens. */
  const anchors = new Set(
    [...operations.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
      match[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
  const alerts = alertRules.filter((rule) => rule.alert);

  it('gives each alert a for, a severity, a summary, a description and a runbook section in docs/operations.md', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    const problems: string[] = [];
    for (const rule of alerts) {
      if (!rule.for) problems.push(`${rule.alert}: no for`);
      if (!['warning', 'critical'].includes(rule.labels?.severity)) problems.push(`${rule.alert}: severity is not warning or critical`);
      for (const annotation of ['summary', 'description', 'runbook']) {
        if (!rule.annotations?.[annotation]) problems.push(`${rule.alert}: no ${annotation} annotation`);
      }
      const runbook = /^docs\/operations\.md#(.+)$/.exec(rule.annotations?.runbook ?? '');
      if (!runbook) problems.push(`${rule.alert}: runbook is not docs/operations.md#<section>`);
      else if (!anchors.has(runbook[1])) problems.push(`${rule.alert}: docs/operations.md has no section #${runbook[1]}`);
    }
    expect(problems).toEqual([]);
    expect(new Set(alerts.map((rule) => rule.alert)).size).toBe(alerts.length);
  });

  it('tests each alert firing and not firing', () => {
    const cases = alertTests.flatMap((test) => test.alert_rule_test ?? []);
    const missing: string[] = [];
    for (const rule of alerts) {
      const own = cases.filter((entry: Data) => entry.alertname === rule.alert);
      if (!own.some((entry: Data) => (entry.exp_alerts ?? []).length > 0)) missing.push(`${rule.alert}: no test where it fires`);
      if (!own.some((entry: Data) => (entry.exp_alerts ?? []).length === 0)) missing.push(`${rule.alert}: no test where it stays quiet`);
    }
    expect(missing).toEqual([]);
  });

  it('scrapes in the example configuration every service on its port, labelled with its name', () => {
    const config: Data = parse(read(`${PROMETHEUS_DIR}/prometheus.yml`));
    const job = (config.scrape_configs ?? []).find((entry: Data) => entry.job_name === 'mallard');
    expect(job, 'a scrape job named "mallard", which alerts.yml selects').toBeDefined();
    const targets = (job.static_configs ?? []).flatMap((entry: Data) =>
      entry.targets.map((target: string) => [entry.labels?.service, Number(target.split(':').at(-1))]),
    );
    expect(targets.sort()).toEqual(SERVICE_NAMES.map((name) => [name, SERVICES[name].port]).sort());
    expect(config.rule_files).toContain('alerts.yml');
  });
});

describe('the Grafana dashboards', () => {
  it('has the three dashboards', () => {
    expect(dashboardFiles.sort()).toEqual(['flash-sale.json', 'order-flow.json', 'services.json'].map((file) => `${GRAFANA_DIR}/${file}`));
    expect(new Set(dashboards.map(([, dashboard]) => dashboard.uid)).size).toBe(dashboards.length);
  });

  it.each(dashboardFiles)('%s queries Prometheus through its datasource variable', (file) => {
    const dashboard = dashboards.find(([name]) => name === file)![1];
    expect(typeof dashboard.schemaVersion).toBe('number');
    expect(dashboard.title).toMatch(/^Mallard \/ /);
    const variables: Data[] = dashboard.templating?.list ?? [];
    expect(variables.find((variable) => variable.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const wrong: string[] = [];
    for (const panel of panelsOf(dashboard).filter((inner) => inner.type !== 'row')) {
      if (!panel.gridPos || !panel.title) wrong.push(`panel ${panel.id}: no gridPos or title`);
      if (!panel.targets?.length) wrong.push(`"${panel.title}": no targets`);
      for (const source of [panel.datasource, ...(panel.targets ?? []).map((target: Data) => target.datasource)]) {
        if (source?.type !== 'prometheus' || source?.uid !== DATASOURCE_VARIABLE)
          wrong.push(`"${panel.title}": datasource ${JSON.stringify(source)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(new Set(panelsOf(dashboard).map((panel) => panel.id)).size).toBe(panelsOf(dashboard).length);
  });

  it('shows the order flow step by step: placed, held, paid, split, shipped, delivered, returned, each a minute rate and an hour total', () => {
    const flow = dashboards.find(([file]) => file.endsWith('/order-flow.json'))![1];
    const panels = panelsOf(flow);
    const steps = ['placed', 'held', 'paid', 'split', 'shipped', 'delivered', 'returned'];
    const perMinute = panels.find((panel: Data) => panel.title === 'Order flow per minute');
    expect(perMinute.targets.map((target: Data) => target.legendFormat)).toEqual(steps);
    for (const target of perMinute.targets)
      expect(target.expr, target.legendFormat).toMatch(/^sum\(rate\(.+\[\$__rate_interval\]\)\) \* 60$/);
    const lastHour = panels.filter((panel: Data) => panel.type === 'stat' && panel.title.endsWith(' in the last hour'));
    expect(lastHour.map((panel: Data) => panel.targets[0].legendFormat)).toEqual(steps);
    // Each total counts what its rate counts.
    for (const [index, panel] of lastHour.entries()) {
      const selector = (expression: string) => /\(([a-z_:]+\{[^}]*\})\[/.exec(expression)?.[1];
      expect(selector(panel.targets[0].expr), panel.title).toBe(selector(perMinute.targets[index].expr));
    }
    // Shipped, delivered and returned are the services' own counters, asked of the service that counts them.
    expect(perMinute.targets.slice(4).map((target: Data) => servicesSelected(target.expr))).toEqual([
      [{ metric: 'parcels_shipped_total', service: 'logistics' }],
      [{ metric: 'parcels_delivered_total', service: 'logistics' }],
      [{ metric: 'after_sales_returns_received_total', service: 'after-sales' }],
    ]);
  });

  it('lets the services dashboard pick the service', () => {
    const services = dashboards.find(([file]) => file.endsWith('/services.json'))![1];
    expect(services.templating.list.map((variable: Data) => variable.name)).toContain('service');
    const unscoped = panelsOf(services)
      .flatMap((panel: Data) => (panel.targets ?? []).map((target: Data) => [panel.title, target.expr]))
      .filter(([, expression]: [string, string]) => !expression.includes('service="$service"'));
    expect(unscoped).toEqual([]);
  });
});
