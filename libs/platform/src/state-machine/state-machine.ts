/**
 * The states of one kind of thing (an order, a payment, a parcel), where each may go next and,
 * optionally, the named triggers (events) that move it. Everything is checked when the machine
 * is built, at import time, so a mistake in a table stops the service before it starts.
 */
export interface StateMachineDefinition<S extends string, T extends string = never> {
  /** What the states belong to, for messages: 'order', 'payment'. */
  name: string;
  /** Every state, and the states it may move to next. A state listing itself may move to itself (a real change, written like any other). */
  transitions: Record<S, readonly S[]>;
  /** The states a new thing may start in; every other state must be reachable from one of them. */
  initial: readonly S[];
  /** Final states: nothing leaves them, and every state nothing leaves must be listed here. */
  terminal: readonly S[];
  /** Named triggers, each moving from any of `from` to `to`; every such move must be in `transitions`. */
  triggers?: Record<T, { from: readonly S[]; to: S }>;
}

/**
 * What asking for a move from the current state gives:
 * - `move`: allowed; write it.
 * - `already-there`: the thing is in the target state already (a repeated event, a retried
 *   request): nothing to write, and not an error. Asked for with a trigger, the trigger's target
 *   is the current state.
 * - `refused`: the current state does not allow it; the caller maps it to its problem (409) or
 *   ignores the event.
 */
export type TransitionDecision<S extends string> =
  | { kind: 'move'; from: S; to: S }
  | { kind: 'already-there'; state: S }
  | { kind: 'refused'; from: S; to: S; trigger?: string };

/** A move the state machine does not allow from the current state. */
export class TransitionRefusedError extends Error {
  override readonly name = 'TransitionRefusedError';
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
    readonly trigger?: string,
  ) {
    super(trigger ? `${machine}: ${trigger} does not apply in ${from}` : `${machine}: cannot go from ${from} to ${to}`);
  }
}

/** A transition table that is not a sound state machine; thrown when the machine is built. */
export class StateMachineDefinitionError extends Error {
  override readonly name = 'StateMachineDefinitionError';
}

export class StateMachine<S extends string, T extends string = never> {
  readonly name: string;
  readonly states: readonly S[];
  readonly #next: ReadonlyMap<S, ReadonlySet<S>>;
  readonly #terminal: ReadonlySet<S>;
  readonly #triggers: ReadonlyMap<string, { from: ReadonlySet<S>; to: S }>;

  constructor(definition: StateMachineDefinition<S, T>) {
    const problems = definitionProblems(definition);
    if (problems.length > 0) throw new StateMachineDefinitionError(`state machine ${definition.name}: ${problems.join('; ')}`);
    this.name = definition.name;
    this.states = Object.keys(definition.transitions) as S[];
    this.#next = new Map(this.states.map((state) => [state, new Set(definition.transitions[state])]));
    this.#terminal = new Set(definition.terminal);
    const triggers = Object.entries(definition.triggers ?? {}) as [T, { from: readonly S[]; to: S }][];
    this.#triggers = new Map(triggers.map(([trigger, { from, to }]) => [trigger, { from: new Set(from), to }]));
  }

  isState(value: string): value is S {
    return this.#next.has(value as S);
  }

  isTerminal(state: S): boolean {
    return this.#terminal.has(state);
  }

  nextStates(state: S): readonly S[] {
    return [...this.#state(state)];
  }

  canMove(from: S, to: S): boolean {
    return this.#state(from).has(to);
  }

  /** The one rule for a requested target state: move, already there, or refused. */
  decide(from: S, to: S): TransitionDecision<S> {
    if (this.canMove(from, to)) return { kind: 'move', from, to };
    if (from === to) return { kind: 'already-there', state: from };
    return { kind: 'refused', from, to };
  }

  /** The same rule for a named trigger: its move if it applies in `from`, already there if `from` is its target. */
  fire(from: S, trigger: T): TransitionDecision<S> {
    const found = this.#triggers.get(trigger);
    if (!found) throw new StateMachineDefinitionError(`state machine ${this.name}: no trigger ${trigger}`);
    this.#state(from);
    if (found.from.has(from)) return { kind: 'move', from, to: found.to };
    if (from === found.to) return { kind: 'already-there', state: from };
    return { kind: 'refused', from, to: found.to, trigger };
  }

  /** For callers to whom a refused move is a bug or a problem to throw: the decision, refused ones thrown. */
  decideOrThrow(from: S, to: S): Exclude<TransitionDecision<S>, { kind: 'refused' }> {
    return orThrow(this.name, this.decide(from, to));
  }

  fireOrThrow(from: S, trigger: T): Exclude<TransitionDecision<S>, { kind: 'refused' }> {
    return orThrow(this.name, this.fire(from, trigger));
  }

  #state(state: S): ReadonlySet<S> {
    const next = this.#next.get(state);
    if (!next) throw new StateMachineDefinitionError(`state machine ${this.name}: no state ${state}`);
    return next;
  }
}

function orThrow<S extends string>(machine: string, decision: TransitionDecision<S>): Exclude<TransitionDecision<S>, { kind: 'refused' }> {
  if (decision.kind === 'refused') throw new TransitionRefusedError(machine, decision.from, decision.to, decision.trigger);
  return decision;
}

/** Everything wrong with a definition, so one failed start lists all of it. */
function definitionProblems<S extends string, T extends string>(definition: StateMachineDefinition<S, T>): string[] {
  const problems: string[] = [];
  const states = new Set(Object.keys(definition.transitions) as S[]);
  const unknown = (state: S) => !states.has(state);
  for (const [from, targets] of Object.entries(definition.transitions) as [S, readonly S[]][]) {
    for (const to of targets) if (unknown(to)) problems.push(`${from} → ${to}: unknown state ${to}`);
  }
  if (definition.initial.length === 0) problems.push('no initial state');
  for (const state of definition.initial) if (unknown(state)) problems.push(`unknown initial state ${state}`);
  for (const state of definition.terminal) {
    if (unknown(state)) problems.push(`unknown terminal state ${state}`);
    else if (definition.transitions[state].length > 0) problems.push(`terminal state ${state} has transitions out of it`);
  }
  for (const state of states) {
    if (definition.transitions[state].length === 0 && !definition.terminal.includes(state))
      problems.push(`${state} has no way out but is not listed as terminal`);
  }
  const reached = new Set(definition.initial.filter((state) => !unknown(state)));
  for (const state of reached) for (const to of definition.transitions[state]) if (!unknown(to)) reached.add(to);
  for (const state of states) if (!reached.has(state)) problems.push(`${state} cannot be reached from ${definition.initial.join(', ')}`);
  for (const [trigger, { from, to }] of Object.entries(definition.triggers ?? {}) as [string, { from: readonly S[]; to: S }][]) {
    if (unknown(to)) problems.push(`trigger ${trigger}: unknown state ${to}`);
    if (from.length === 0) problems.push(`trigger ${trigger} applies in no state`);
    for (const state of from) {
      if (unknown(state)) problems.push(`trigger ${trigger}: unknown state ${state}`);
      else if (!unknown(to) && !definition.transitions[state].includes(to))
        problems.push(`trigger ${trigger}: ${state} → ${to} is not a transition`);
    }
  }
  return problems;
}
