/**
 * An error and what it wraps, outermost first: TypeORM keeps the driver's error as
 * `driverError`, others as `cause`. Five deep at most, so a cycle cannot hang a caller.
 */
export function* errorChain(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    yield current;
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
}
