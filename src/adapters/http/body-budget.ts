/**
 * The bytes of webhook bodies held at once, across all requests. A body must be read whole before
 * its signature can be checked, so without a shared bound a few concurrent large bodies from
 * anyone (no secret needed) grow the process without limit.
 */
export interface BodyBudget {
  /** A request's share: it takes bytes as they arrive and gives them all back at once. */
  lease(): BodyLease;
  /** Bytes held now. */
  held(): number;
  /** Bytes that can still be taken now. */
  free(): number;
}

export interface BodyLease {
  /** Takes `bytes`; false, taking nothing, when the budget has not that much left. */
  take(bytes: number): boolean;
  /** Gives back everything this lease took; later calls do nothing. */
  release(): void;
}

export function createBodyBudget(totalBytes: number): BodyBudget {
  if (!Number.isSafeInteger(totalBytes) || totalBytes <= 0) throw new RangeError("the body budget must be a positive number of bytes");
  let held = 0;
  return {
    lease() {
      let taken = 0;
      let released = false;
      return {
        take(bytes) {
          if (released || held + bytes > totalBytes) return false;
          held += bytes;
          taken += bytes;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          held -= taken;
          taken = 0;
        },
      };
    },
    held: () => held,
    free: () => totalBytes - held,
  };
}
