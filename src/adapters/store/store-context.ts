import type BetterSqlite3 from "better-sqlite3";
import { StoreError, isStoreError } from "../../app/ports/store-error.js";

/** What each repository needs: one open connection and the injected clock and id source. */
export interface StoreContext {
  readonly db: BetterSqlite3.Database;
  readonly now: () => number;
  readonly newId: () => string;
}

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so two processes
 * deciding on the same rows (claims, locks, dedupe) serialise instead of both reading the old
 * state; a throw rolls everything back. Nested calls become savepoints (better-sqlite3).
 */
export function immediate<T>(ctx: StoreContext, fn: () => T): T {
  return ctx.db.transaction(fn).immediate();
}

/**
 * Runs a synchronous store operation behind an async port method, turning driver errors into
 * StoreErrors with a code callers can branch on (the driver's error stays as `cause`).
 */
export async function guard<T>(operation: string, fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (err) {
    throw toStoreError(operation, err);
  }
}

export function toStoreError(operation: string, err: unknown): StoreError {
  if (isStoreError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) {
    return new StoreError("busy", `${operation}: the database stayed locked by another process past the busy timeout`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError("store-failed", `${operation}: ${message}`, { cause: err });
}
