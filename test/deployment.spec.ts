/**
 * The deployment files, checked as data: docker-compose.yml, Dockerfile (+ .dockerignore) and the
 * Kubernetes manifests under deploy/k8s. There is no container engine here, so instead of running
 * them these tests cross-reference them: against libs/contracts (service names, ports, topics,
 * partitions, dead-letter naming), against package.json / package-lock.json, and against each
 * other (a broker address against the broker's advertised listeners, credentials against the
 * database container, a Service selector against its Deployment's pod labels, …).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { DEV_SANDBOX_SECRET } from '../apps/payments/src/config/payments-config.js';
import { SERVICE_NAMES, SERVICES, type ServiceName } from '../libs/contracts/src/services.js';
import { DEAD_LETTER_ACTIONS_TOPIC, deadLetterTopicOf, EVENT_TOPIC_PARTITIONS, EVENT_TOPICS } from '../libs/contracts/src/topics.js';
import { DEV_JWT_SECRET, DEV_SERVICE_TOKEN_SECRET, SECRETS_WRITTEN_IN_REPO } from '../libs/platform/src/auth/repo-secrets.js';

// Parsed YAML is untyped data; the tests below are what checks its shape.
type Data = any;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const K8S_DIR = join(ROOT, 'deploy/k8s');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The consumer group of a service is its name (libs/messaging); every service consumes. */
const CONSUMER_GROUPS: readonly string[] = SERVICE_NAMES;
const DEAD_LETTER_TOPICS = CONSUMER_GROUPS.map(deadLetterTopicOf);
const otherServices = (name: ServiceName) => SERVICE_NAMES.filter((other) => other !== name);
/** ORDERS_URL, AFTER_SALES_URL, … */
const urlVariableOf = (name: ServiceName) => `${name.toUpperCase().replace(/-/g, '_')}_URL`;
/** 'mallard/orders:latest' -> 'mallard/orders' (a registry port before the tag is kept). */
const imageRepository = (image: string) => image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------

/**
 * What an operator exports before `docker compose up`: the secrets compose requires and
 * nothing else. Deterministic whatever the shell running the tests exports.
 */
const OPERATOR_ENV: Record<string, string> = {
  JWT_SECRET: 'operator-chosen-jwt-secret-0123456789abcdef0123',
  SERVICE_TOKEN_SECRET: 'operator-chosen-service-token-secret-0123456789',
  MALLARD_DB_PASSWORD: 'operator-chosen-db-password',
};

/** Compose variable interpolation as `docker compose` does it, against `env`. */
function interpolate(value: string, env: Record<string, string> = OPERATOR_ENV): string {
  return value.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const given = env[name];
      const set = given !== undefined && (given !== '' || !operator?.startsWith(':'));
      switch (operator) {
        case ':-':
        case '-':
          return set ? given : (argument ?? '');
        case ':?':
        case '?':
          if (set) return given;
          throw new Error(`docker-compose.yml requires \${${name}}: ${argument}`);
        case ':+':
        case '+':
          return set ? (argument ?? '') : '';
        default:
          return given ?? '';
      }
    },
  );
}

function interpolateDeep(value: Data, env: Record<string, string> = OPERATOR_ENV): Data {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((inner) => interpolateDeep(inner, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, interpolateDeep(inner, env)]));
  }
  return value;
}

/** `environment:` (or `build.args`) as a map, from either the map or the KEY=VALUE list form. */
function keyValues(value: Data): Record<string, string | undefined> {
  if (!value) return {};
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((line: string) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(value);
  return Object.fromEntries(entries.map(([key, inner]) => [key, inner == null ? undefined : String(inner)]));
}

/** `depends_on:` as a map of conditions, from either form (the list form means service_started). */
function dependencies(service: Data): Record<string, string> {
  const value = service.depends_on ?? {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(value).map(([name, inner]: [string, Data]) => [name, inner?.condition ?? 'service_started']));
}

/** `NAME://host:port,…` (Kafka listeners) by listener name. */
function listeners(value: string | undefined): Map<string, { host: string; port: number }> {
  const result = new Map<string, { host: string; port: number }>();
  for (const entry of (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_]+):\/\/(.*):(\d+)$/.exec(entry);
    if (!match) throw new Error(`unreadable listener ${entry}`);
    result.set(match[1].toUpperCase(), { host: match[2].replace(/^\[|\]$/g, ''), port: Number(match[3]) });
  }
  return result;
}

/** Container ports a service publishes, from short ("3000:3000", "127.0.0.1:3000:3000/tcp") or long syntax. */
function publishedContainerPorts(service: Data): number[] {
  return (service.ports ?? []).map((port: Data) => {
    if (typeof port === 'object') return Number(port.target);
    const withoutProtocol = String(port).replace(/\/(tcp|udp)$/, '');
    return Number(withoutProtocol.split(':').at(-1));
  });
}

/** The test of a healthcheck as one string, or undefined when there is none or it is disabled. */
function healthcheckCommand(service: Data): string | undefined {
  const check = service.healthcheck;
  if (!check || check.disable === true) return undefined;
  const test = Array.isArray(check.test) ? check.test : [check.test];
  if (test[0] === 'NONE' || test.length === 0 || test[0] == null) return undefined;
  return test.filter((part: string) => part !== 'CMD' && part !== 'CMD-SHELL').join(' ');
}

const composeText = read('docker-compose.yml');
// `merge: true`: the file shares its service block through YAML merge keys (<<), as compose does.
const composeRaw: Data = parse(composeText, { merge: true });
const compose: Data = interpolateDeep(composeRaw);
const composeServices: Record<string, Data> = compose.services ?? {};

function composeServiceByImage(prefix: string): [string, Data] {
  const found = Object.entries(composeServices).filter(([, service]) => String(service.image ?? '').startsWith(prefix));
  expect(found, `exactly one compose service runs ${prefix}*`).toHaveLength(1);
  return found[0];
}
const [kafkaName, kafka] = composeServiceByImage('apache/kafka:');
const [postgresName, postgres] = composeServiceByImage('postgres:');
const kafkaEnv = keyValues(kafka.environment);
const postgresEnv = keyValues(postgres.environment);
const composeEnv = (name: string) => keyValues(composeServices[name]?.environment);

/** Names under which another container on the compose network reaches this one. */
function networkNames(name: string): string[] {
  const service = composeServices[name];
  const aliases = Object.values(service.networks ?? {}).flatMap((network: Data) => network?.aliases ?? []);
  return [name, service.hostname, service.container_name, ...aliases].filter(Boolean);
}

describe('docker-compose.yml', () => {
  it('shares the service block through merge keys that actually resolved', () => {
    expect(composeText).toMatch(/^x-[\w-]+: &/m);
    const leftovers = JSON.stringify(compose).includes('"<<"');
    expect(leftovers, 'an unresolved << merge key').toBe(false);
  });

  describe('kafka', () => {
    const advertised = listeners(kafkaEnv.KAFKA_ADVERTISED_LISTENERS);
    const bound = listeners(kafkaEnv.KAFKA_LISTENERS);
    const protocols = new Map(
      (kafkaEnv.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split(':').map((part) => part.trim().toUpperCase()) as [string, string]),
    );
    const controllerListeners = (kafkaEnv.KAFKA_CONTROLLER_LISTENER_NAMES ?? '').toUpperCase().split(',').filter(Boolean);

    it('is Apache Kafka 3.9 in KRaft mode: one process that is broker and controller', () => {
      expect(kafka.image).toMatch(/^apache\/kafka:3\.9\./);
      const roles = (kafkaEnv.KAFKA_PROCESS_ROLES ?? '').split(',').map((role) => role.trim());
      expect(roles).toContain('controller');
      expect(roles).toContain('broker');
      expect(kafkaEnv.KAFKA_NODE_ID).toMatch(/^\d+$/);
      // The image refuses to start in KRaft mode without a cluster id.
      expect(kafkaEnv.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });

    it('has a consistent listener set: bound, advertised, protocol-mapped, controller quorum', () => {
      expect(controllerListeners.length).toBeGreaterThan(0);
      for (const name of [...bound.keys(), ...advertised.keys()]) {
        expect(protocols.get(name), `security protocol of listener ${name}`).toBeDefined();
      }
      for (const name of advertised.keys()) {
        expect(bound.get(name)?.port, `advertised listener ${name} is bound on the same port`).toBe(advertised.get(name)?.port);
        expect(controllerListeners, 'a controller listener is never advertised to clients').not.toContain(name);
      }
      for (const name of controllerListeners) expect(bound.has(name), `controller listener ${name} is bound`).toBe(true);
      expect(advertised.has((kafkaEnv.KAFKA_INTER_BROKER_LISTENER_NAME ?? 'PLAINTEXT').toUpperCase())).toBe(true);

      const voters = (kafkaEnv.KAFKA_CONTROLLER_QUORUM_VOTERS ?? '').split(',').filter(Boolean);
      expect(voters).toHaveLength(1);
      const voter = /^(\d+)@(.+):(\d+)$/.exec(voters[0]);
      expect(voter, `unreadable voter ${voters[0]}`).not.toBeNull();
      expect(voter![1]).toBe(kafkaEnv.KAFKA_NODE_ID);
      expect(networkNames(kafkaName)).toContain(voter![2]);
      expect(controllerListeners.map((name) => bound.get(name)?.port)).toContain(Number(voter![3]));
    });

    it('creates no topic implicitly and replicates internal topics only as far as one broker can', () => {
      expect(kafkaEnv.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
      for (const key of [
        'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
        'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
        'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
      ]) {
        expect(kafkaEnv[key], key).toBe('1');
      }
      for (const key of ['KAFKA_DEFAULT_REPLICATION_FACTOR', 'KAFKA_MIN_INSYNC_REPLICAS']) {
        if (kafkaEnv[key] !== undefined) expect(kafkaEnv[key], key).toBe('1');
      }
    });

    it('keeps its log directory on a volume and has a healthcheck against a bound listener', () => {
      const logDirectories = (kafkaEnv.KAFKA_LOG_DIRS ?? '/tmp/kraft-combined-logs').split(',');
      const mounted = (kafka.volumes ?? []).map((volume: Data) => (typeof volume === 'string' ? volume.split(':')[1] : volume.target));
      for (const directory of logDirectories) expect(mounted).toContain(directory);

      const command = healthcheckCommand(kafka);
      expect(command).toBeDefined();
      const bootstrap = /--bootstrap-server\s+\S*:(\d+)/.exec(command!);
      expect(bootstrap, 'the healthcheck names a bootstrap server').not.toBeNull();
      expect([...bound.values()].map((listener) => listener.port)).toContain(Number(bootstrap![1]));
    });
  });

  describe('postgres', () => {
    it('is PostgreSQL 17 with credentials, a data volume and a pg_isready healthcheck', () => {
      expect(postgres.image).toMatch(/^postgres:17(\b|$)/);
      expect(postgresEnv.POSTGRES_USER).toBeTruthy();
      expect(postgresEnv.POSTGRES_PASSWORD).toBeTruthy();
      const dataDirectory = postgresEnv.PGDATA ?? '/var/lib/postgresql/data';
      const mounted = (postgres.volumes ?? []).map((volume: Data) => (typeof volume === 'string' ? volume.split(':')[1] : volume.target));
      expect(mounted.some((target: string) => dataDirectory === target || dataDirectory.startsWith(`${target}/`))).toBe(true);
      expect(healthcheckCommand(postgres)).toMatch(/pg_isready/);
    });
  });

  describe.each(SERVICE_NAMES)('service %s', (name) => {
    const service = composeServices[name];
    const env = composeEnv(name);

    it('is built from the root Dockerfile with build arg SERVICE=<its name>', () => {
      expect(service, `compose service ${name}`).toBeDefined();
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      expect(build, 'built, not pulled').toBeDefined();
      expect(resolve(ROOT, build.context ?? '.')).toBe(ROOT);
      expect(existsSync(join(ROOT, build.dockerfile ?? 'Dockerfile'))).toBe(true);
      expect(keyValues(build.args).SERVICE).toBe(name);
    });

    it('listens on its port from services.ts and keeps its default database', () => {
      expect(env.PORT).toBe(String(SERVICES[name].port));
      if (env.DATABASE_NAME !== undefined) expect(env.DATABASE_NAME).toBe(SERVICES[name].database);
    });

    it("reaches Kafka on the kafka service's advertised in-network listener", () => {
      const advertised = [...listeners(kafkaEnv.KAFKA_ADVERTISED_LISTENERS)];
      const protocols = keyValues((kafkaEnv.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '').split(',').map((pair) => pair.replace(':', '=')));
      const brokers = (env.KAFKA_BROKERS ?? '')
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean);
      expect(brokers.length).toBeGreaterThan(0);
      for (const broker of brokers) {
        const listener = advertised.find(([, { host, port }]) => `${host}:${port}` === broker);
        expect(listener, `${broker} is one of the advertised listeners`).toBeDefined();
        expect(networkNames(kafkaName)).toContain(listener![1].host);
        // The services speak plain Kafka (no TLS/SASL configuration exists for them).
        expect(protocols[listener![0]]).toBe('PLAINTEXT');
      }
    });

    it('uses the postgres service with its credentials', () => {
      const url = new URL(env.DATABASE_URL ?? '');
      expect(['postgres:', 'postgresql:']).toContain(url.protocol);
      expect(networkNames(postgresName)).toContain(url.hostname);
      expect(Number(url.port || 5432)).toBe(Number(postgresEnv.PGPORT ?? 5432));
      expect(decodeURIComponent(url.username)).toBe(postgresEnv.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(postgresEnv.POSTGRES_PASSWORD);
      // A database that exists on a fresh server: the maintenance db or the one the image creates.
      const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      expect(['postgres', postgresEnv.POSTGRES_DB ?? postgresEnv.POSTGRES_USER]).toContain(database);
    });

    it('starts after Kafka and PostgreSQL are healthy and has a healthcheck of its own', () => {
      const dependsOn = dependencies(service);
      expect(dependsOn[kafkaName]).toBe('service_healthy');
      expect(dependsOn[postgresName]).toBe('service_healthy');
      for (const dependency of Object.keys(dependsOn)) expect(composeServices[dependency], dependency).toBeDefined();
      expect(healthcheckCommand(service)).toMatch(/\/health\/(live|ready)/);
    });
  });

  describe('gateway', () => {
    it('publishes its port', () => {
      expect(publishedContainerPorts(composeServices.gateway)).toContain(SERVICES.gateway.port);
    });

    it.each(otherServices('gateway'))('has a URL variable that reaches %s', (other) => {
      const value = composeEnv('gateway')[urlVariableOf(other)];
      expect(value, urlVariableOf(other)).toBeDefined();
      const url = new URL(value!);
      expect(url.protocol).toBe('http:');
      expect(networkNames(other)).toContain(url.hostname);
      expect(url.port).toBe(composeEnv(other).PORT);
    });

    it('has a JWT secret (required with NODE_ENV=production)', () => {
      expect((composeEnv('gateway').JWT_SECRET ?? '').length).toBeGreaterThanOrEqual(32);
    });

    it('is published on the host loopback unless MALLARD_GATEWAY_BIND says otherwise', () => {
      const published = (composeServices.gateway.ports ?? []).map((port: Data) =>
        typeof port === 'object' ? port.host_ip : String(port).split(':').slice(0, -2).join(':'),
      );
      expect(published).toEqual(['127.0.0.1']);
      const everywhere = interpolateDeep(composeRaw, { ...OPERATOR_ENV, MALLARD_GATEWAY_BIND: '0.0.0.0' });
      expect(everywhere.services.gateway.ports).toEqual(['0.0.0.0:3000:3000']);
    });
  });

  describe('secrets and exposure', () => {
    it('writes no secret: compose refuses to start until the environment gives each one', () => {
      for (const variable of Object.keys(OPERATOR_ENV)) {
        const { [variable]: _missing, ...others } = OPERATOR_ENV;
        expect(() => interpolateDeep(composeRaw, others), `without ${variable}`).toThrow(new RegExp(`requires \\$\\{${variable}\\}`));
      }
      // Every secret-holding setting of every service is an operator's value or empty (unused).
      for (const [name, service] of Object.entries(compose.services as Record<string, Data>)) {
        for (const [variable, value] of Object.entries(keyValues(service.environment))) {
          if (!/SECRET|PASSWORD|PRIVATE_KEY/.test(variable)) continue;
          expect(Object.values(OPERATOR_ENV).concat(['']), `${name} ${variable}`).toContain(value);
        }
      }
      expect(composeEnv('payments').SANDBOX_WEBHOOK_SECRET ?? '').toBe('');
    });

    it.each(SERVICE_NAMES)('gives %s the service-token key and binds it beyond loopback inside its container', (name) => {
      expect(composeEnv(name).SERVICE_TOKEN_SECRET).toBe(OPERATOR_ENV.SERVICE_TOKEN_SECRET);
      expect(composeEnv(name).HOST).toBe('0.0.0.0');
    });

    it('leaves the sandbox provider off unless asked for, twice in production', () => {
      expect(composeEnv('payments').SANDBOX_ENABLED).toBe('false');
      expect(composeEnv('payments').SANDBOX_ALLOW_IN_PRODUCTION).toBe('false');
    });

    it('lists every development default among the secrets production refuses', () => {
      expect(SECRETS_WRITTEN_IN_REPO).toEqual(expect.arrayContaining([DEV_JWT_SECRET, DEV_SERVICE_TOKEN_SECRET, DEV_SANDBOX_SECRET]));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Dockerfile and .dockerignore
// ---------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile instructions grouped by stage (comments dropped, line continuations joined). */
function stagesOf(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line) && !pending) continue; // comment (the syntax directive too)
    if (/^\s*#/.test(line)) continue; // a comment inside a continued instruction
    const continued = /\\\s*$/.test(line);
    pending += `${line.replace(/\\\s*$/, '')} `;
    if (!continued) {
      if (pending.trim()) logical.push(pending.trim());
      pending = '';
    }
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === 'FROM') {
      const [, image, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ image, name, instructions: [] });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** Sources and flags of a COPY/ADD, from the shell or the JSON form. */
function copyOf(args: string): { from?: string; sources: string[]; destination: string } {
  const flags = [...args.matchAll(/--([\w-]+)=(\S+)/g)].map(([, key, value]) => [key, value]);
  const rest = args.replace(/--[\w-]+=\S+\s*/g, '').trim();
  const paths: string[] = rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/);
  return { from: Object.fromEntries(flags).from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** Whether .dockerignore keeps `path` out of the build context (Docker's rules, last match wins). */
function dockerignored(path: string, patterns: string[]): boolean {
  const toRegExp = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('')}$`,
    );
  const segments = path.split('/');
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).trim().replace(/^\/+/, '').replace(/\/+$/, '');
    if (!pattern) continue;
    const expression = toRegExp(pattern);
    // A pattern that matches a directory keeps everything below it out as well.
    if (segments.some((_, index) => expression.test(segments.slice(0, index + 1).join('/')))) ignored = !negated;
  }
  return ignored;
}

const dockerfile = read('Dockerfile');
const stages = stagesOf(dockerfile);
const runtime = stages.at(-1)!;
const ignorePatterns = existsSync(join(ROOT, '.dockerignore'))
  ? read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
  : [];
const packageJson = JSON.parse(read('package.json'));
const packageLock = JSON.parse(read('package-lock.json'));
const of = (stage: Stage, keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword);
/** What the runtime stage copies in from the build context. */
const copiedFromContext = of(runtime, 'COPY')
  .map((instruction) => copyOf(instruction.args))
  .filter((copy) => !copy.from)
  .flatMap((copy) => copy.sources.map((source) => source.replace(/^\.\//, '').replace(/\/$/, '')));

describe('Dockerfile', () => {
  it('builds from node:20-bookworm-slim in named stages, each COPY --from naming an earlier one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:20-bookworm-slim');
    stages.forEach((stage, index) => {
      for (const copy of of(stage, 'COPY').map((instruction) => copyOf(instruction.args))) {
        if (copy.from) expect(stages.slice(0, index).map((earlier) => earlier.name)).toContain(copy.from);
      }
    });
  });

  it('installs production dependencies from the lockfile in a deps stage the runtime copies node_modules from', () => {
    const deps = stages.find((stage) => of(stage, 'RUN').some((run) => /\bnpm ci\b/.test(run.args) && /--omit=dev\b/.test(run.args)));
    expect(deps, 'a stage runs npm ci --omit=dev').toBeDefined();
    expect(deps).not.toBe(runtime);
    const depsSources = of(deps!, 'COPY').flatMap((instruction) => copyOf(instruction.args).sources);
    expect(depsSources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    const fromDeps = of(runtime, 'COPY')
      .map((instruction) => copyOf(instruction.args))
      .filter((copy) => copy.from === deps!.name);
    expect(fromDeps.some((copy) => copy.sources.some((source) => source.endsWith('node_modules')))).toBe(true);
  });

  it('copies what the start command needs, and .dockerignore lets all of it through', () => {
    // tsconfig.json is what @swc-node/register reads; whatever it extends must come along.
    const tsconfigs = ['tsconfig.json'];
    for (let config = JSON.parse(read('tsconfig.json')); config.extends; ) {
      tsconfigs.push(relative(ROOT, resolve(ROOT, config.extends)));
      config = JSON.parse(read(tsconfigs.at(-1)!));
    }
    expect(copiedFromContext).toEqual(expect.arrayContaining(['package.json', 'apps', 'libs', 'tsconfig.base.json', ...tsconfigs]));
    for (const source of copiedFromContext) {
      expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
      expect(dockerignored(source, ignorePatterns), `${source} is not in .dockerignore`).toBe(false);
    }
    for (const path of [
      'package-lock.json',
      'libs/contracts/src/services.ts',
      ...SERVICE_NAMES.map((name) => `apps/${name}/src/main.ts`),
    ]) {
      expect(dockerignored(path, ignorePatterns), `${path} reaches the build`).toBe(false);
    }
    for (const path of ['node_modules', '.git']) expect(dockerignored(path, ignorePatterns), `${path} stays out`).toBe(true);
  });

  it('picks the service with ARG SERVICE and starts apps/$SERVICE/src/main.ts through swc', () => {
    const argAt = runtime.instructions.findIndex((instruction) => instruction.keyword === 'ARG' && /^SERVICE\b/.test(instruction.args));
    const envAt = runtime.instructions.findIndex(
      (instruction) => instruction.keyword === 'ENV' && /\bSERVICE=("?)\$\{?SERVICE\}?\1/.test(instruction.args),
    );
    expect(argAt, 'ARG SERVICE in the runtime stage').toBeGreaterThanOrEqual(0);
    expect(envAt, 'ENV SERVICE=$SERVICE after it').toBeGreaterThan(argAt);
    const [cmd] = of(runtime, 'CMD');
    expect(cmd).toBeDefined();
    const command = cmd.args.startsWith('[') ? (JSON.parse(cmd.args) as string[]).join(' ') : cmd.args;
    expect(command).toMatch(
      /\bnode --enable-source-maps --import @swc-node\/register\/esm-register \\?"?apps\/\$\{?SERVICE\}?\/src\/main\.ts\b/,
    );
  });

  it('starts with a loader that survives npm ci --omit=dev, peer dependencies included', () => {
    expect(packageJson.dependencies['@swc-node/register']).toBeDefined();
    const register = packageLock.packages['node_modules/@swc-node/register'];
    expect(register?.dev).not.toBe(true);
    for (const peer of Object.keys(register.peerDependencies ?? {})) {
      const installed = packageLock.packages[`node_modules/${peer}`];
      expect(installed, `${peer} is in the lockfile`).toBeDefined();
      expect(installed.dev, `${peer} is installed without dev dependencies`).not.toBe(true);
    }
  });

  it('runs as a non-root user with a liveness HEALTHCHECK', () => {
    const users = of(runtime, 'USER').map((instruction) => instruction.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
    const [healthcheck] = of(runtime, 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/\/health\/live/);
    expect(healthcheck?.args).not.toMatch(/\bcurl\b|\bwget\b/); // neither exists in the slim image
  });
});

// ---------------------------------------------------------------------------------------------
// deploy/k8s
// ---------------------------------------------------------------------------------------------

function yamlFilesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

const k8sFiles = yamlFilesUnder(K8S_DIR).map((path) => relative(K8S_DIR, path));
const kustomizationFile = k8sFiles.find((file) => /^kustomization\.ya?ml$/.test(file));
const manifestFiles = k8sFiles.filter((file) => file !== kustomizationFile);
const parseErrors: string[] = [];
const resources: Data[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).flatMap((document) => {
    parseErrors.push(...document.errors.map((error) => `${file}: ${error.message}`));
    const value = document.toJS();
    return value ? [{ ...value, file }] : [];
  }),
);
const kustomization: Data = kustomizationFile ? parse(readFileSync(join(K8S_DIR, kustomizationFile), 'utf8')) : {};
const ofKind = (kind: string) => resources.filter((resource) => resource.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((resource) => resource.metadata?.name === name);
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);
const podLabels = (deployment: Data) => deployment.spec?.template?.metadata?.labels;
const containerOf = (deployment: Data, name: string) => {
  const containers: Data[] = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find((container) => container.name === name) ?? (containers.length === 1 ? containers[0] : undefined);
};
/** A numeric port, or a named one looked up among the container's ports. */
const containerPort = (container: Data, port: number | string | undefined) =>
  typeof port === 'number' ? port : container.ports?.find((candidate: Data) => candidate.name === port)?.containerPort;
const envVar = (container: Data, name: string) => (container.env ?? []).find((entry: Data) => entry.name === name);
const configMapData = (container: Data): Record<string, string> =>
  Object.assign(
    {},
    ...(container.envFrom ?? [])
      .filter((source: Data) => source.configMapRef)
      .map((source: Data) => named('ConfigMap', source.configMapRef.name)?.data ?? {}),
  );

describe('deploy/k8s', () => {
  const namespace = ofKind('Namespace')[0]?.metadata?.name;

  it('parses, and kustomization.yaml lists exactly the manifest files', () => {
    expect(parseErrors).toEqual([]);
    expect(kustomizationFile, 'a kustomization.yaml').toBeDefined();
    const listed: string[] = (kustomization.resources ?? []).map((entry: string) => entry.replace(/^\.\//, ''));
    expect([...listed].sort()).toEqual([...manifestFiles].sort());
  });

  it('puts everything in the one declared namespace', () => {
    expect(ofKind('Namespace')).toHaveLength(1);
    expect(kustomization.namespace ?? namespace).toBe(namespace);
    for (const resource of resources.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(resource.metadata?.namespace ?? namespace, `${resource.kind}/${resource.metadata?.name}`).toBe(namespace);
    }
    const keys = resources.map((resource) => `${resource.kind}/${resource.metadata?.name}`);
    expect(keys.length, `duplicates among ${keys.join(', ')}`).toBe(new Set(keys).size);
  });

  describe.each(SERVICE_NAMES)('service %s', (name) => {
    const port = SERVICES[name].port;
    const deployment = named('Deployment', name);
    const container = deployment && containerOf(deployment, name);

    it('has a Deployment whose selector matches its pods, running mallard/<name> (as compose builds it)', () => {
      expect(deployment, `Deployment ${name}`).toBeDefined();
      expect(deployment.apiVersion).toBe('apps/v1');
      expect(selects(deployment.spec.selector?.matchLabels, podLabels(deployment))).toBe(true);
      for (const other of ofKind('Deployment').filter((candidate) => candidate !== deployment)) {
        expect(selects(deployment.spec.selector.matchLabels, podLabels(other)), `also selects ${other.metadata.name}`).toBe(false);
      }
      expect(container, `container of ${name}`).toBeDefined();
      expect(imageRepository(container.image)).toBe(`mallard/${name}`);
      expect(imageRepository(composeServices[name].image)).toBe(imageRepository(container.image));
    });

    it('listens on its services.ts port, probed on /health/live and /health/ready', () => {
      expect(container.ports?.map((candidate: Data) => candidate.containerPort)).toContain(port);
      expect(envVar(container, 'PORT')?.value).toBe(String(port));
      for (const [probe, path] of [
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ] as const) {
        expect(container[probe]?.httpGet?.path, probe).toBe(path);
        expect(containerPort(container, container[probe].httpGet.port), `${probe} port`).toBe(port);
      }
      if (container.startupProbe) {
        expect(container.startupProbe.httpGet?.path).toBe('/health/live');
        expect(containerPort(container, container.startupProbe.httpGet.port)).toBe(port);
      }
    });

    it('has resource requests and limits (the CPU request is what the HPA target refers to)', () => {
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          expect(container.resources?.[kind]?.[resource], `${kind}.${resource}`).toBeDefined();
        }
      }
    });

    it('takes DATABASE_URL, SERVICE_TOKEN_SECRET (and the gateway JWT_SECRET) from Secrets, Kafka and log level from the ConfigMap', () => {
      const secrets =
        name === 'gateway' ? ['DATABASE_URL', 'SERVICE_TOKEN_SECRET', 'JWT_SECRET'] : ['DATABASE_URL', 'SERVICE_TOKEN_SECRET'];
      for (const variable of secrets) {
        const entry = envVar(container, variable);
        expect(entry?.value, `${variable} is not a literal`).toBeUndefined();
        expect(entry?.valueFrom?.secretKeyRef?.name, `${variable} from a Secret`).toBeTruthy();
        expect(entry.valueFrom.secretKeyRef.key).toBeTruthy();
      }
      const shared = configMapData(container);
      expect(shared.KAFKA_BROKERS).toBeTruthy();
      expect(shared.LOG_LEVEL).toBeTruthy();
      // Pods listen beyond loopback; the NetworkPolicies decide who reaches them.
      expect(envVar(container, 'HOST')?.value ?? shared.HOST).toBe('0.0.0.0');
      for (const entry of container.env ?? []) {
        if (/SECRET|PASSWORD|PRIVATE_KEY/.test(entry.name)) expect(entry.value, `${entry.name} is not a literal`).toBeUndefined();
      }
    });

    it('is reached on its HTTP port only as the NetworkPolicies allow: the gateway by anyone, the others by the gateway (and metrics scrapers)', () => {
      const policies = ofKind('NetworkPolicy').filter((policy) => selects(policy.spec?.podSelector?.matchLabels, podLabels(deployment)));
      expect(policies.length, `a NetworkPolicy selects the ${name} pods`).toBeGreaterThan(0);
      const gatewayPods = podLabels(named('Deployment', 'gateway'));
      for (const policy of policies) {
        expect(policy.apiVersion).toBe('networking.k8s.io/v1');
        expect(policy.spec.policyTypes).toContain('Ingress');
        for (const rule of policy.spec.ingress ?? []) {
          expect(
            (rule.ports ?? []).map((entry: Data) => containerPort(container, entry.port)),
            'a rule names the port it opens',
          ).toEqual([port]);
          if (name === 'gateway') continue;
          expect(rule.from?.length, 'an internal service is never open to everyone').toBeGreaterThan(0);
          for (const peer of rule.from) {
            if (peer.podSelector) {
              expect(peer.namespaceSelector, 'pods of this namespace only').toBeUndefined();
              expect(selects(peer.podSelector.matchLabels, gatewayPods), 'only the gateway pods').toBe(true);
              for (const other of ofKind('Deployment').filter((candidate) => candidate.metadata.name !== 'gateway')) {
                expect(selects(peer.podSelector.matchLabels, podLabels(other)), `not ${other.metadata.name}`).toBe(false);
              }
            } else {
              expect(peer.ipBlock, 'no address ranges').toBeUndefined();
              expect(peer.namespaceSelector?.matchLabels, 'the monitoring namespace only').toEqual({
                'kubernetes.io/metadata.name': 'monitoring',
              });
            }
          }
        }
      }
    });

    it('has a Service of the same name that selects exactly its pods on its port', () => {
      const service = named('Service', name);
      expect(service, `Service ${name}`).toBeDefined();
      for (const candidate of ofKind('Deployment')) {
        expect(selects(service.spec?.selector, podLabels(candidate)), `selects ${candidate.metadata.name}`).toBe(candidate === deployment);
      }
      const servicePort = service.spec.ports?.find((candidate: Data) => candidate.port === port);
      expect(servicePort, `Service port ${port}`).toBeDefined();
      expect(containerPort(container, servicePort.targetPort ?? servicePort.port)).toBe(port);
    });

    it('has a HorizontalPodAutoscaler (autoscaling/v2, CPU) scaling that Deployment', () => {
      const hpas = ofKind('HorizontalPodAutoscaler').filter(
        (hpa) => hpa.spec?.scaleTargetRef?.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === name,
      );
      expect(hpas).toHaveLength(1);
      const [hpa] = hpas;
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.metadata.name).toBe(name);
      expect(hpa.spec.scaleTargetRef.apiVersion).toBe('apps/v1');
      expect(hpa.spec.minReplicas ?? 1).toBeGreaterThanOrEqual(1);
      expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas ?? 1);
      const cpu = (hpa.spec.metrics ?? []).find((metric: Data) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
      expect(cpu?.resource.target.type).toBe('Utilization');
      // The HPA owns the replica count; a fixed one in the Deployment would fight it on every apply.
      expect(deployment.spec.replicas).toBeUndefined();
      if (name !== 'gateway') {
        // Consumers beyond the partition count of a topic sit idle for that topic.
        expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(EVENT_TOPIC_PARTITIONS);
      }
    });
  });

  it.each(otherServices('gateway'))('gives the gateway a URL that reaches the %s Service', (other) => {
    const value = envVar(containerOf(named('Deployment', 'gateway'), 'gateway'), urlVariableOf(other))?.value;
    expect(value, urlVariableOf(other)).toBeDefined();
    const url = new URL(value);
    const [host, hostNamespace] = url.hostname.split('.');
    const service = named('Service', host);
    expect(service, `Service ${host}`).toBeDefined();
    expect(selects(service.spec.selector, podLabels(named('Deployment', other)))).toBe(true);
    if (hostNamespace) expect(hostNamespace).toBe(namespace);
    expect(service.spec.ports.map((candidate: Data) => candidate.port)).toContain(Number(url.port || 80));
  });

  it('selects exactly one Deployment with each PodDisruptionBudget', () => {
    for (const budget of ofKind('PodDisruptionBudget')) {
      const selected = ofKind('Deployment').filter((deployment) => selects(budget.spec?.selector?.matchLabels, podLabels(deployment)));
      expect(selected, `PodDisruptionBudget ${budget.metadata.name}`).toHaveLength(1);
    }
  });

  it('tells in README.md how to create every Secret key the Deployments read', () => {
    const readme = readFileSync(join(K8S_DIR, 'README.md'), 'utf8');
    const references = ofKind('Deployment').flatMap((deployment) =>
      (deployment.spec.template.spec.containers as Data[]).flatMap((container) =>
        (container.env ?? []).map((entry: Data) => entry.valueFrom?.secretKeyRef).filter(Boolean),
      ),
    );
    expect(references.length).toBeGreaterThan(0);
    for (const { name, key } of references) {
      expect(readme).toMatch(new RegExp(`create secret generic ${name}\\b[^]*?--from-literal=${key}=`));
    }
  });

  describe('Kafka topics (Strimzi KafkaTopic)', () => {
    const topics = ofKind('KafkaTopic');
    const topicName = (topic: Data): string => topic.spec?.topicName ?? topic.metadata?.name;

    it('declares every event topic, every consumer group dead-letter topic and the dead-letter actions topic, nothing else', () => {
      const declared = topics.map(topicName);
      expect(declared.length, 'no topic declared twice').toBe(new Set(declared).size);
      expect([...declared].sort()).toEqual([...EVENT_TOPICS, ...DEAD_LETTER_TOPICS, DEAD_LETTER_ACTIONS_TOPIC].sort());
      // Each record holds its letter's whole history: compaction keeps it, deletion by age would not.
      const actions = topics.find((topic) => topicName(topic) === DEAD_LETTER_ACTIONS_TOPIC);
      expect(actions?.spec?.config?.['cleanup.policy']).toBe('compact');
      for (const topic of topics) expect(topic.apiVersion).toBe('kafka.strimzi.io/v1beta2');
    });

    it('gives event topics EVENT_TOPIC_PARTITIONS partitions and keeps writes possible with a broker down', () => {
      for (const topic of topics) {
        const partitions = topic.spec?.partitions;
        if ((EVENT_TOPICS as readonly string[]).includes(topicName(topic)))
          expect(partitions, topicName(topic)).toBe(EVENT_TOPIC_PARTITIONS);
        else expect(partitions, topicName(topic)).toBeGreaterThanOrEqual(1);
        const minInSync = Number(topic.spec?.config?.['min.insync.replicas'] ?? 1);
        expect(minInSync, `${topicName(topic)} min.insync.replicas < replicas`).toBeLessThan(topic.spec.replicas);
      }
    });

    it('belongs to the Kafka cluster the services bootstrap from', () => {
      const clusters = new Set(topics.map((topic) => topic.metadata?.labels?.['strimzi.io/cluster']));
      expect(clusters.size).toBe(1);
      const [cluster] = clusters;
      expect(cluster).toBeTruthy();
      for (const deployment of ofKind('Deployment')) {
        const container = containerOf(deployment, deployment.metadata.name);
        const brokers = envVar(container, 'KAFKA_BROKERS')?.value ?? configMapData(container).KAFKA_BROKERS;
        for (const broker of String(brokers).split(',')) {
          // Strimzi's bootstrap Service: <cluster>-kafka-bootstrap[.<namespace>.svc[.cluster.local]]:<port>
          expect(broker.trim()).toMatch(new RegExp(`^${cluster}-kafka-bootstrap(\\.${namespace}(\\.svc(\\.cluster\\.local)?)?)?:\\d+$`));
        }
      }
    });
  });
});
