/** A bounded set of recently seen ids: the oldest is forgotten first. */
export interface RecentIds {
  /** Adds `id`; false when it was already there. */
  add(id: string): boolean;
  /** Forgets `id` (its delivery was not accepted after all, so a redelivery must get through). */
  delete(id: string): void;
}

export function createRecentIds(capacity: number): RecentIds {
  // A Set iterates in insertion order, so its first element is the oldest.
  const ids = new Set<string>();
  return {
    add(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      if (ids.size > capacity) ids.delete(ids.values().next().value as string);
      return true;
    },
    delete(id) {
      ids.delete(id);
    },
  };
}
