import { join } from "node:path";
import type { DriftIssues } from "../../app/ports/drift-issues.js";
import type { DriftResults } from "../../app/ports/drift-results.js";
import type { Leases } from "../../app/ports/leases.js";
import type { Locks } from "../../app/ports/locks.js";
import type { Store } from "../../app/ports/store.js";
import { createSqliteStore } from "./sqlite-store.js";

/**
 * Where the store lives, as plain data: it crosses to the webhook process over IPC, and a second
 * backend (PostgreSQL) becomes one more variant here and one more branch in `openStore`.
 */
export type StoreLocation = { readonly kind: "sqlite"; readonly path: string };

/** An open store with its locks; `close()` when the process stops. */
export interface OpenStore extends Store {
  readonly locks: Locks;
  readonly drift: DriftResults;
  readonly driftIssues: DriftIssues;
  readonly leases: Leases;
  readonly location: StoreLocation;
  close(): void;
}

/** The embedded default: one SQLite file in the data directory. */
export function sqliteLocation(dataDir: string): StoreLocation {
  return { kind: "sqlite", path: join(dataDir, "tfgate.sqlite") };
}

/**
 * Opens the store at `location`, bringing its schema up to date. The only place outside
 * `adapters/store` tests that decides which backend a location means.
 */
export function openStore(location: StoreLocation, options: { readonly clock?: { readonly now: () => number } } = {}): OpenStore {
  switch (location.kind) {
    case "sqlite": {
      const store = createSqliteStore({ path: location.path, clock: options.clock });
      return { ...store, location: { kind: "sqlite", path: store.path } };
    }
  }
}
