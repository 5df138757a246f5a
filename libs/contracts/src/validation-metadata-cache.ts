import { getMetadataStorage } from 'class-validator';

type Lookup = (target: object, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => unknown[];

let installed = false;

/**
 * class-validator works out a class's rules (its own and its ancestors') on every validation
 * by scanning every decorated class there is (typestack/class-validator#2686); with the
 * hundreds of request and event classes here that scan was the largest single cost of
 * validating a request body or an event. A class's rules are all registered when the class is
 * defined, which is before anything can be validated against it, and a class defined later
 * registers only its own; so the answer for a class never changes and is kept after the first
 * lookup. Validation with groups is left uncached (nothing here uses groups). Idempotent.
 */
export function memoizeValidationRules(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup };
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const known = new WeakMap<object, Map<string, unknown[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if ((groups && groups.length > 0) || typeof target !== 'function') return lookup(target, schema, always, strictGroups, groups);
    let byOptions = known.get(target);
    if (!byOptions) {
      byOptions = new Map();
      known.set(target, byOptions);
    }
    const options = `${schema}\u0000${always}\u0000${strictGroups}`;
    let rules = byOptions.get(options);
    if (!rules) {
      // Frozen: every validation of the class now shares this one list.
      rules = Object.freeze(lookup(target, schema, always, strictGroups, groups)) as unknown[];
      byOptions.set(options, rules);
    }
    return rules;
  };
}
