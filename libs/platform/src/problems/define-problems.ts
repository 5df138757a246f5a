import { ProblemException, problemType } from '../http/problem-details.js';
import { registerProblem } from './problem-registry.js';

/** What varies between two occurrences of one problem kind. */
export interface ProblemParts<Member extends string = string> {
  detail?: string;
  /** Machine-readable specifics; only the members the entry declares. */
  extensions?: [Member] extends [never] ? never : { [Name in Member]?: unknown };
  /** Response headers this occurrence implies (`Retry-After: 5`), beside the entry's own. */
  headers?: Record<string, string>;
}

/** One entry of a catalogue: what the kind is, for clients and for docs/errors.md. */
export interface ProblemSpec<Member extends string = string> {
  /** Stable, kebab-case; the last segment of the `type` URI. Never rename one clients see. */
  slug: string;
  status: number;
  /** Short and the same for every occurrence; the specifics go in `detail`. */
  title: string;
  /** One line for docs/errors.md: when a client receives it. */
  description: string;
  /** Names of the extension members it carries, for the docs and the factory's type. */
  extensions?: readonly Member[];
  /** Headers every occurrence carries (`WWW-Authenticate` on a 401). */
  headers?: Record<string, string>;
  /**
   * Builds the parts from the call site's arguments, so call sites pass the facts
   * (`notFound(orderId)`) and the wording lives here. Without it the factory takes the parts.
   */
  create?: (...args: never[]) => ProblemParts<Member>;
}

type MemberOf<Spec> = Spec extends { extensions: readonly (infer Member extends string)[] } ? Member : never;

/** Refuses a `create` that returns extension members its entry does not declare. */
type Checked<Spec> = Spec extends { create: (...args: never[]) => { extensions?: infer Returned } }
  ? [Exclude<keyof Returned, MemberOf<Spec>>] extends [never]
    ? Spec
    : Spec & { undeclaredExtensionMembers: Exclude<keyof Returned, MemberOf<Spec>> }
  : Spec;

/** What a call site gets for an entry: arguments in, a ProblemException out, plus what it is. */
export type ProblemFactory<Spec> = (Spec extends { create: (...args: infer Args) => ProblemParts }
  ? (...args: Args) => ProblemException
  : (parts?: ProblemParts<MemberOf<Spec>>) => ProblemException) & {
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  /** The `type` URI clients switch on. */
  readonly type: string;
  /** Whether an error is an occurrence of this kind (to catch one and answer another way). */
  is(error: unknown): error is ProblemException;
};

export type ProblemCatalogue<Specs> = { readonly [Name in keyof Specs]: ProblemFactory<Specs[Name]> };

/**
 * The one way to define the problems a service or library can answer with. Each entry
 * becomes a factory of ProblemExceptions and is registered under `owner`, so docs/errors.md
 * can be checked against every kind that exists (test/errors-doc.spec.ts).
 *
 * ```ts
 * export const orderProblems = defineProblems('orders', {
 *   notFound: {
 *     slug: 'order-not-found', status: 404, title: 'Order not found',
 *     description: 'No order with this id belongs to the caller.',
 *     extensions: ['orderId'],
 *     create: (orderId: string) => ({ detail: `no order ${orderId}`, extensions: { orderId } }),
 *   },
 *   notCancellable: { slug: 'order-not-cancellable', status: 409, title: 'Order cannot be cancelled', description: '…' },
 * });
 * throw orderProblems.notFound(orderId);
 * throw orderProblems.notCancellable({ detail: `order ${orderId} has shipped` });
 * ```
 */
export function defineProblems<const Specs extends Record<string, ProblemSpec>>(
  owner: string,
  specs: Specs & { [Name in keyof Specs]: Checked<Specs[Name]> },
): ProblemCatalogue<Specs> {
  const catalogue: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs as Record<string, ProblemSpec>)) {
    registerProblem({
      owner,
      slug: spec.slug,
      status: spec.status,
      title: spec.title,
      description: spec.description,
      extensions: spec.extensions ?? [],
    });
    catalogue[name] = factoryOf(spec);
  }
  return catalogue as ProblemCatalogue<Specs>;
}

function factoryOf(spec: ProblemSpec): ProblemFactory<ProblemSpec> {
  const create = (...args: unknown[]): ProblemException => {
    const parts: ProblemParts = spec.create
      ? (spec.create as (...given: unknown[]) => ProblemParts)(...args)
      : ((args[0] as ProblemParts | undefined) ?? {});
    return new ProblemException({
      status: spec.status,
      slug: spec.slug,
      title: spec.title,
      detail: parts.detail,
      extensions: parts.extensions,
      headers: spec.headers || parts.headers ? { ...spec.headers, ...parts.headers } : undefined,
    });
  };
  return Object.assign(create, {
    slug: spec.slug,
    status: spec.status,
    title: spec.title,
    type: problemType(spec.slug),
    is: (error: unknown): error is ProblemException => error instanceof ProblemException && error.slug === spec.slug,
  }) as ProblemFactory<ProblemSpec>;
}
