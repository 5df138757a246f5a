import { describe, expect, it } from 'vitest';
import { StateMachine, type StateMachineDefinition, StateMachineDefinitionError, TransitionRefusedError } from './state-machine.js';

type Parcel = 'CREATED' | 'SHIPPED' | 'DELIVERED' | 'LOST' | 'RETURNED';
type ParcelTrigger = 'CARRIER_PICKED_UP' | 'CARRIER_DELIVERED' | 'CARRIER_LOST_IT';

const parcel: StateMachineDefinition<Parcel, ParcelTrigger> = {
  name: 'parcel',
  transitions: {
    CREATED: ['SHIPPED', 'LOST'],
    SHIPPED: ['SHIPPED', 'DELIVERED', 'LOST'],
    DELIVERED: ['RETURNED'],
    LOST: [],
    RETURNED: [],
  },
  initial: ['CREATED'],
  terminal: ['LOST', 'RETURNED'],
  triggers: {
    CARRIER_PICKED_UP: { from: ['CREATED'], to: 'SHIPPED' },
    CARRIER_DELIVERED: { from: ['SHIPPED'], to: 'DELIVERED' },
    CARRIER_LOST_IT: { from: ['CREATED', 'SHIPPED'], to: 'LOST' },
  },
};

describe('StateMachine', () => {
  const machine = new StateMachine(parcel);

  it('moves along the table and refuses what it does not list', () => {
    expect(machine.decide('CREATED', 'SHIPPED')).toEqual({ kind: 'move', from: 'CREATED', to: 'SHIPPED' });
    expect(machine.decide('CREATED', 'DELIVERED')).toEqual({ kind: 'refused', from: 'CREATED', to: 'DELIVERED' });
    expect(machine.decide('LOST', 'SHIPPED')).toEqual({ kind: 'refused', from: 'LOST', to: 'SHIPPED' });
    expect(machine.canMove('DELIVERED', 'RETURNED')).toBe(true);
    expect(machine.nextStates('SHIPPED')).toEqual(['SHIPPED', 'DELIVERED', 'LOST']);
  });

  it('answers a move to the current state as already there, unless the table lists it as a move', () => {
    expect(machine.decide('DELIVERED', 'DELIVERED')).toEqual({ kind: 'already-there', state: 'DELIVERED' });
    expect(machine.decide('LOST', 'LOST')).toEqual({ kind: 'already-there', state: 'LOST' });
    // SHIPPED → SHIPPED is listed: a real change (a new tracking scan), written like any move.
    expect(machine.decide('SHIPPED', 'SHIPPED')).toEqual({ kind: 'move', from: 'SHIPPED', to: 'SHIPPED' });
  });

  it('applies triggers by the same rule', () => {
    expect(machine.fire('CREATED', 'CARRIER_PICKED_UP')).toEqual({ kind: 'move', from: 'CREATED', to: 'SHIPPED' });
    expect(machine.fire('SHIPPED', 'CARRIER_PICKED_UP')).toEqual({ kind: 'already-there', state: 'SHIPPED' });
    expect(machine.fire('LOST', 'CARRIER_DELIVERED')).toEqual({
      kind: 'refused',
      from: 'LOST',
      to: 'DELIVERED',
      trigger: 'CARRIER_DELIVERED',
    });
    // DELIVERED → LOST is not a move, even though CARRIER_LOST_IT leads to LOST from elsewhere.
    expect(machine.fire('DELIVERED', 'CARRIER_LOST_IT').kind).toBe('refused');
  });

  it('throws a typed error for a refused move when asked to', () => {
    expect(machine.decideOrThrow('DELIVERED', 'DELIVERED')).toEqual({ kind: 'already-there', state: 'DELIVERED' });
    let error: unknown;
    try {
      machine.fireOrThrow('RETURNED', 'CARRIER_DELIVERED');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TransitionRefusedError);
    expect(error).toMatchObject({ machine: 'parcel', from: 'RETURNED', to: 'DELIVERED', trigger: 'CARRIER_DELIVERED' });
    expect(() => machine.decideOrThrow('CREATED', 'RETURNED')).toThrow('parcel: cannot go from CREATED to RETURNED');
  });

  it('knows its states and its final ones', () => {
    expect(machine.states).toEqual(['CREATED', 'SHIPPED', 'DELIVERED', 'LOST', 'RETURNED']);
    expect(machine.isTerminal('LOST')).toBe(true);
    expect(machine.isTerminal('DELIVERED')).toBe(false);
    expect(machine.isState('LOST')).toBe(true);
    expect(machine.isState('lost')).toBe(false);
    expect(() => machine.decide('MISSING' as Parcel, 'LOST')).toThrow(/no state MISSING/);
  });

  describe('refuses to be built from an unsound table', () => {
    const broken = (change: Partial<StateMachineDefinition<string, string>>) => () =>
      new StateMachine<string, string>({ ...(parcel as StateMachineDefinition<string, string>), ...change });

    it('a move to an unknown state', () => {
      expect(broken({ transitions: { ...parcel.transitions, CREATED: ['SHIPED'] } })).toThrow(/CREATED → SHIPED: unknown state SHIPED/);
    });
    it('a move out of a terminal state', () => {
      expect(broken({ transitions: { ...parcel.transitions, LOST: ['SHIPPED'] } })).toThrow(
        /terminal state LOST has transitions out of it/,
      );
    });
    it('a dead end not listed as terminal', () => {
      expect(broken({ terminal: ['LOST'] })).toThrow(/RETURNED has no way out but is not listed as terminal/);
    });
    it('a state no path reaches', () => {
      expect(broken({ transitions: { ...parcel.transitions, STRAY: ['LOST'] } })).toThrow(/STRAY cannot be reached from CREATED/);
    });
    it('unknown initial or terminal states, or none initial', () => {
      expect(broken({ initial: ['NEW'] })).toThrow(/unknown initial state NEW/);
      expect(broken({ initial: [] })).toThrow(/no initial state/);
      expect(broken({ terminal: ['LOST', 'RETURNED', 'GONE'] })).toThrow(/unknown terminal state GONE/);
    });
    it('a trigger whose move the table does not allow', () => {
      expect(broken({ triggers: { CARRIER_RETURNED: { from: ['SHIPPED'], to: 'RETURNED' } } })).toThrow(
        /trigger CARRIER_RETURNED: SHIPPED → RETURNED is not a transition/,
      );
    });
    it('lists every problem at once', () => {
      expect(broken({ initial: ['NEW'], terminal: ['LOST'] })).toThrow(StateMachineDefinitionError);
      expect(broken({ initial: ['NEW'], terminal: ['LOST'] })).toThrow(/unknown initial state NEW.*RETURNED has no way out/);
    });
  });
});
