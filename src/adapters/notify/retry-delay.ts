/**
 * Wait before the next attempt: exponential (base · 2^(attempt-1), capped) with jitter, so many
 * tfgate servers that saw the same outage do not retry in step. A `Retry-After` from the receiver
 * wins over the back-off (it knows its own limits) but is capped too: one receiver asking for an
 * hour must not hold the queue that long.
 */
export function retryDelayMs(input: { attempt: number; baseMs: number; maxMs: number; retryAfterMs: number | null; random: () => number }): number {
  if (input.retryAfterMs !== null) return Math.min(input.maxMs, Math.max(0, input.retryAfterMs));
  const exponential = Math.min(input.maxMs, input.baseMs * 2 ** (input.attempt - 1));
  // Between half and all of it: never much sooner than the back-off meant.
  return Math.round(exponential * (0.5 + input.random() / 2));
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
