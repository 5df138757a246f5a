/**
 * What a handler is registered under: the event's type and payload version. Two versions of
 * one type carry different payload classes, so a handler written for one must never get the
 * other; a version no handler names is ignored like a type nobody handles.
 */
export function handlerKey(type: string, version: number): string {
  return `${type}@v${version}`;
}

/** The event type of a handler key. */
export function typeOfHandlerKey(key: string): string {
  const at = key.lastIndexOf('@v');
  return at < 0 ? key : key.slice(0, at);
}
