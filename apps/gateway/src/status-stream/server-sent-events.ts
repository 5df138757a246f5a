/**
 * The wire format of a status stream (text/event-stream, the WHATWG "server-sent events"), and
 * the position of an order's status that each event carries as its id.
 */

/**
 * Where an order's status stands: the read model's generation (its newest rebuild) and the
 * order's status version in it. A rebuild starts every version again from nothing, so a position
 * of a later generation is newer whatever its version.
 */
export interface StatusPosition {
  generation: number;
  version: number;
}

/** The event id of a position: `<generation>.<version>`, what a client sends back as Last-Event-ID. */
export function eventIdOf(position: StatusPosition): string {
  return `${position.generation}.${position.version}`;
}

/** The position a Last-Event-ID names; anything else is no position (the client gets the current status). */
export function positionOfEventId(lastEventId: string | undefined): StatusPosition | null {
  const match = /^(\d{1,9})\.(\d{1,9})$/.exec(lastEventId?.trim() ?? '');
  return match ? { generation: Number(match[1]), version: Number(match[2]) } : null;
}

/** Whether `candidate` is later than `seen`; everything is later than nothing seen. */
export function isNewer(candidate: StatusPosition, seen: StatusPosition | null): boolean {
  if (seen === null) return true;
  return candidate.generation > seen.generation || (candidate.generation === seen.generation && candidate.version > seen.version);
}

/** One event: its id, its type and its data, JSON on one line (JSON.stringify writes no line breaks). */
export function serverSentEvent(id: string, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** How long a client's EventSource waits before reconnecting after the stream ends. */
export function reconnectDelay(milliseconds: number): string {
  return `retry: ${milliseconds}\n\n`;
}

/** A comment line: clients ignore it, proxies see traffic and keep the connection open. */
export const KEEP_ALIVE = ': keep-alive\n\n';
