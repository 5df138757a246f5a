// Types of ./infra.mjs (plain ESM so that it runs without a TypeScript loader).

/** A component of the local infrastructure that infra.mjs can start and stop. */
export type InfraComponent = 'kafka' | 'postgres';

export interface Infrastructure {
  /** "host:port[,host:port...]": KAFKA_BROKERS as the services read it. */
  kafkaBrokers: string;
  /** A postgres:// server URL whose database is `postgres`; services create their own databases. */
  databaseUrl: string;
  /** What this call started (and what a matching stop should stop); empty when all was reused. */
  started: InfraComponent[];
}

export interface EnsureOptions {
  /** Folder for config, data, logs and pid files, e.g. `<repo>/.mallard`. */
  stateDir: string;
  /** Progress messages; defaults to console.log with a `[mallard]` prefix. */
  log?: (message: string) => void;
}

export interface StopOptions {
  stateDir: string;
  /** Stop only these (e.g. the `started` of an ensure call); default: all with a pid file. */
  only?: readonly InfraComponent[];
  log?: (message: string) => void;
}

export declare const KAFKA_VERSION: string;
export declare const DEFAULT_KAFKA_BROKERS: string;
export declare const DEFAULT_PG_PROBE_URL: string;
export declare const DEFAULT_EMBEDDED_PG_PORT: number;

/**
 * Makes sure a Kafka broker and a PostgreSQL server are reachable, starting local ones when
 * needed (env KAFKA_BROKERS / DATABASE_URL win; then servers already answering on
 * 127.0.0.1:9092 / 127.0.0.1:5432; else a local Kafka 3.9.1 broker and an embedded PostgreSQL
 * on 127.0.0.1:5433 are started and outlive this process).
 */
export declare function ensureInfrastructure(options: EnsureOptions): Promise<Infrastructure>;

/** Stops what ensureInfrastructure started with this stateDir (pid files in <stateDir>/run). */
export declare function stopInfrastructure(options: StopOptions): Promise<InfraComponent[]>;

export declare function infrastructureStatus(options: {
  stateDir: string;
}): Promise<Record<InfraComponent, { pid: number | undefined; running: boolean }>>;

export declare function kafkaAnswers(brokers: string, timeoutMs?: number): Promise<boolean>;
export declare function postgresAnswers(url: string, timeoutMs?: number): Promise<boolean>;

export declare function readPidFile(file: string): number | undefined;
export declare function isAlive(pid: number): boolean;
export declare function processCommandLine(pid: number): string | undefined;
export declare function killAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean>;
export declare function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs?: number): Promise<boolean>;
export declare function tailFile(file: string, lines?: number): string;
