import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/adapters/store/migrations.js";
import { isStoreError } from "../../src/app/ports/store-error.js";
import { REPO, SHA_A, useTempStores } from "./store-fixtures.js";

describe("createSqliteStore: opening and migrations", () => {
  const t = useTempStores();

  it("creates a private data dir and database, in WAL mode with foreign keys on", () => {
    const root = t.dir();
    const path = join(root, "data", "nested", "tfgate.sqlite");
    const store = t.open({ path });
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(statSync(join(root, "data")).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, "data", "nested")).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    store.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    const versions = raw.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1));
    raw.close();
  });

  it("enforces foreign keys on its connection", async () => {
    const store = t.fresh();
    // An apply job must point at an existing plan; only the foreign key can refuse this one.
    const db = new Database(store.path);
    db.pragma("foreign_keys = ON");
    expect(() =>
      db.prepare(
        "INSERT INTO jobs (id, kind, repo, pr, project, head_sha, plan_id, state, created_at, updated_at) VALUES ('x', 'apply', ?, 1, 'p', ?, 999, 'queued', 0, 0)",
      ).run(REPO, SHA_A),
    ).toThrow(/FOREIGN KEY/);
    db.close();
    await expect(store.locks.list()).resolves.toEqual([]);
  });

  it("re-opening is idempotent and keeps the data", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const first = t.open({ path });
    await first.locks.acquire(REPO, "network", 7);
    first.close();
    const second = t.open({ path });
    expect(second.schemaVersion).toBe(MIGRATIONS.length);
    expect((await second.locks.list()).map((l) => l.pr)).toEqual([7]);
    second.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT count(*) FROM schema_migrations").pluck().get()).toBe(MIGRATIONS.length);
    raw.close();
  });

  it("migrates an existing empty file", () => {
    const path = join(t.dir(), "empty.sqlite");
    writeFileSync(path, "");
    expect(t.open({ path }).schemaVersion).toBe(MIGRATIONS.length);
  });

  it("applies only pending migrations, each once, in a transaction", () => {
    const path = join(t.dir(), "m.sqlite");
    const db = new Database(path);
    const v1 = ["CREATE TABLE a (x INTEGER) STRICT"];
    expect(migrate(db, () => 1, v1)).toBe(1);
    expect(migrate(db, () => 2, [...v1, "CREATE TABLE b (y INTEGER) STRICT"])).toBe(2);
    expect(migrate(db, () => 3, [...v1, "CREATE TABLE b (y INTEGER) STRICT"])).toBe(2);
    // A broken migration leaves the database at the previous version, with nothing half-made.
    expect(() => migrate(db, () => 4, [...v1, "CREATE TABLE b (y INTEGER) STRICT", "CREATE TABLE c (z INTEGER); SELECT nope()"])).toThrow();
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(2);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get()).toBe(0);
    db.close();
  });

  it("refuses a database written by a newer tfgate, and leaves it untouched", () => {
    const path = join(t.dir(), "tfgate.sqlite");
    t.open({ path }).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)").run(MIGRATIONS.length + 1);
    raw.close();

    let error: unknown;
    try {
      t.open({ path });
    } catch (err) {
      error = err;
    }
    expect(isStoreError(error, "schema-too-new")).toBe(true);
    expect((error as Error).message).toContain(`schema version ${MIGRATIONS.length + 1}`);
    expect((error as Error).message).toContain(`up to ${MIGRATIONS.length}`);

    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(MIGRATIONS.length + 1);
    after.close();
  });

  it("refuses a file that is not a database with a typed error", () => {
    const path = join(t.dir(), "junk.sqlite");
    writeFileSync(path, "this is not sqlite, just some text that is long enough to be read as a header ".repeat(20));
    expect(() => t.open({ path })).toThrow(expect.objectContaining({ code: "open-failed" }));
  });

  it("validates its options", () => {
    expect(() => t.open({ path: "" })).toThrow(expect.objectContaining({ code: "invalid-input" }));
    expect(() => t.open({ path: ":memory:" })).toThrow(expect.objectContaining({ code: "invalid-input" }));
    expect(() => t.open({ path: join(t.dir(), "x.sqlite"), busyTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: "invalid-input" }));
  });

  it("keeps the audit log append-only in the database itself", async () => {
    const store = t.fresh();
    await store.audit.append({ actor: "alice", action: "apply", repo: REPO, result: "succeeded" });
    const db = new Database(store.path);
    expect(() => db.prepare("UPDATE audit SET result = 'failed'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit").run()).toThrow(/append-only/);
    db.close();
    expect((await store.audit.list()).map((a) => a.result)).toEqual(["succeeded"]);
  });
});
