/** One problem kind as the registry knows it: enough to document it and to catch a clash. */
export interface RegisteredProblem {
  /** The service or library whose catalogue defines it (`orders`, `platform`, `http`). */
  owner: string;
  slug: string;
  status: number;
  title: string;
  /** One line for docs/errors.md: when a client receives it. */
  description: string;
  /** Names of the extension members it carries beside the standard ones. */
  extensions: readonly string[];
}

/**
 * Kept on globalThis rather than in this module, so that two copies of the module (a
 * workspace alias and a built file, say) still share one registry: a clash between them is
 * exactly what it exists to catch.
 */
const REGISTRY_KEY = Symbol.for('mallard.problem-registry');

type Registry = Map<string, RegisteredProblem[]>;

function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

/**
 * Records a problem kind. A slug names one kind everywhere, since clients switch on the `type`
 * URI: two owners may both raise it (both answer `idempotency-key-reused`), but never with
 * another status or title, which throws while the catalogue's module is being imported.
 */
export function registerProblem(problem: RegisteredProblem): void {
  const definitions = registry().get(problem.slug) ?? [];
  const first = definitions[0];
  if (first && (first.status !== problem.status || first.title !== problem.title)) {
    throw new Error(
      `problem "${problem.slug}" is defined by ${problem.owner} as ${problem.status} "${problem.title}", ` +
        `but ${first.owner} already defined it as ${first.status} "${first.title}": a slug names one problem everywhere`,
    );
  }
  // A module evaluated again (test isolation, hot reload) registers the same thing again.
  const others = definitions.filter((known) => known.owner !== problem.owner);
  registry().set(problem.slug, [...others, problem]);
}

/** Every registered problem, once per owner that defines it, in registration order of slugs. */
export function registeredProblems(): RegisteredProblem[] {
  return [...registry().values()].flat();
}

export function findRegisteredProblem(slug: string): RegisteredProblem | undefined {
  return registry().get(slug)?.[0];
}
