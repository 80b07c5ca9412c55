import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from "../../src/adapters/store/sqlite-store.js";
import type { NewPlan } from "../../src/app/ports/plans.js";

export const REPO = "acme/infra";
export const SHA_A = "a".repeat(40);
export const SHA_B = "b".repeat(40);
export const PLAN_SHA_1 = "1".repeat(64);
export const PLAN_SHA_2 = "2".repeat(64);

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/**
 * Real SQLite files in a fresh temp dir per test; every store opened through `open` is closed
 * and the dir removed after the test.
 */
export function useTempStores() {
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    dir(): string {
      const d = mkdtempSync(join(tmpdir(), "tfgate-store-"));
      dirs.push(d);
      return d;
    },
    open(options: SqliteStoreOptions): SqliteStore {
      const s = createSqliteStore(options);
      stores.push(s);
      return s;
    },
    /** A store on a new file under a not-yet-existing data dir. */
    fresh(options: Omit<SqliteStoreOptions, "path"> = {}): SqliteStore {
      return this.open({ ...options, path: join(this.dir(), "data", "tfgate.sqlite") });
    },
  };
}

export function planFor(overrides: Partial<NewPlan> = {}): NewPlan {
  return {
    repo: REPO,
    pr: 7,
    project: "network",
    headSha: SHA_A,
    file: { path: "/var/lib/tfgate/plans/7-network.tfplan", sha256: PLAN_SHA_1 },
    summary: { status: "changes", counts: { add: 1, change: 0, destroy: 0, replace: 0 } },
    policy: { status: "passed", warnings: [] },
    ...overrides,
  };
}
