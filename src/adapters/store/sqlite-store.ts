import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { DriftIssues } from "../../app/ports/drift-issues.js";
import type { DriftResults } from "../../app/ports/drift-results.js";
import type { Leases } from "../../app/ports/leases.js";
import type { Locks } from "../../app/ports/locks.js";
import type { Store } from "../../app/ports/store.js";
import { StoreError, isStoreError } from "../../app/ports/store-error.js";
import { createAuditRepository } from "./audit-repository.js";
import { createCheckRunRepository } from "./check-run-repository.js";
import { createDeliveryRepository } from "./delivery-repository.js";
import { createDriftCheckRepository } from "./drift-check-repository.js";
import { createDriftIssueRepository } from "./drift-issue-repository.js";
import { createJobRepository } from "./job-repository.js";
import { createLeaseRepository } from "./lease-repository.js";
import { createLockRepository } from "./lock-repository.js";
import { MIGRATIONS, migrate } from "./migrations.js";
import { createPlanRepository } from "./plan-repository.js";
import { createPrStateRepository } from "./pr-state-repository.js";
import type { StoreContext } from "./store-context.js";

export interface SqliteStoreOptions {
  /** The database file, e.g. `<dataDir>/tfgate.sqlite`; its directory is created mode 0700. */
  readonly path: string;
  /** Milliseconds since the epoch; tests pass a fake one. */
  readonly clock?: { readonly now: () => number };
  /** Ids of apply jobs created by claims. */
  readonly newId?: () => string;
  /** How long a write waits for another process's transaction before failing "busy". */
  readonly busyTimeoutMs?: number;
  /**
   * "normal" (default): with WAL, a process crash (kill -9) loses nothing committed; only an OS
   * crash or power loss may roll back the last commits. "full" also survives those, at the price
   * of an fsync per commit, which blocks the event loop (better-sqlite3 is synchronous) and so
   * slows webhook acks.
   */
  readonly synchronous?: "normal" | "full";
  /** How long webhook delivery ids are remembered for dedupe. */
  readonly deliveryRetentionMs?: number;
}

/** The store and the locks over one connection; `close()` when the server stops. */
export interface SqliteStore extends Store {
  readonly locks: Locks;
  readonly drift: DriftResults;
  readonly driftIssues: DriftIssues;
  readonly leases: Leases;
  readonly path: string;
  readonly schemaVersion: number;
  close(): void;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date. Each call makes
 * its own connection, so several stores (or processes) may share a file; SQLite's locking and the
 * BEGIN IMMEDIATE transactions keep them consistent.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (typeof options?.path !== "string" || options.path === "" || options.path === ":memory:" || options.path.includes("\0")) {
    throw new StoreError("invalid-input", "path must name a database file");
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new StoreError("invalid-input", "busyTimeoutMs must be a non-negative integer");
  const retentionMs = options.deliveryRetentionMs ?? 7 * DAY_MS;
  if (!Number.isSafeInteger(retentionMs) || retentionMs <= 0) throw new StoreError("invalid-input", "deliveryRetentionMs must be a positive integer");
  const synchronous = options.synchronous ?? "normal";
  if (synchronous !== "normal" && synchronous !== "full") throw new StoreError("invalid-input", 'synchronous must be "normal" or "full"');

  const path = resolve(options.path);
  const db = openDatabase(path, busyTimeoutMs);
  const clock = options.clock ?? { now: () => Date.now() };
  const ctx: StoreContext = { db, now: () => clock.now(), newId: options.newId ?? randomUUID };
  let schemaVersion: number;
  try {
    // WAL lets readers (the UI, a second process) proceed during a write.
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") throw new StoreError("open-failed", `${path}: SQLite refused WAL mode (got ${String(mode)})`);
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.pragma("foreign_keys = ON");
    schemaVersion = migrate(db, ctx.now, MIGRATIONS);
  } catch (err) {
    db.close();
    if (isStoreError(err)) throw err;
    throw new StoreError("open-failed", `${path}: cannot open the tfgate database: ${(err as Error).message}`, { cause: err });
  }

  return {
    path,
    schemaVersion,
    deliveries: createDeliveryRepository(ctx, { retentionMs, pruneEveryMs: Math.min(3600 * 1000, retentionMs) }),
    jobs: createJobRepository(ctx),
    plans: createPlanRepository(ctx),
    audit: createAuditRepository(ctx),
    prs: createPrStateRepository(ctx),
    checks: createCheckRunRepository(ctx),
    locks: createLockRepository(ctx),
    drift: createDriftCheckRepository(ctx),
    driftIssues: createDriftIssueRepository(ctx),
    leases: createLeaseRepository(ctx),
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * The data directory holds plan files with sensitive values, so it is created private (0700);
 * the database file is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm
 * files the same mode. Existing directories and files keep the mode the operator chose.
 */
function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", 0o600));
    return new Database(path, { timeout: busyTimeoutMs, fileMustExist: true });
  } catch (err) {
    throw new StoreError("open-failed", `${path}: cannot open the tfgate database: ${(err as Error).message}`, { cause: err });
  }
}
