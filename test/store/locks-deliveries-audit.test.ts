import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/adapters/store/migrations.js";
import { PLAN_SHA_1, REPO, SHA_A, fakeClock, useTempStores } from "./store-fixtures.js";

describe("locks", () => {
  const t = useTempStores();

  it("one PR holds a project; others are told who; the holder re-acquires", async () => {
    const store = t.fresh();
    expect(await store.locks.acquire(REPO, "network", 7)).toEqual({ status: "acquired" });
    expect(await store.locks.acquire(REPO, "network", 7)).toEqual({ status: "acquired" });
    expect(await store.locks.acquire(REPO, "network", 8)).toMatchObject({ status: "held", by: 7 });
    expect(await store.locks.acquire(REPO, "dns", 8)).toEqual({ status: "acquired" });
    expect(await store.locks.acquire("acme/other", "network", 8)).toEqual({ status: "acquired" });
    expect((await store.locks.list(REPO)).map((l) => [l.project, l.pr])).toEqual([["dns", 8], ["network", 7]]);
    expect(await store.locks.list()).toHaveLength(3);
  });

  it("contention: many PRs racing across two connections get exactly one holder", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).locks.acquire(REPO, "network", 100 + i)));
    const winners = results.filter((r) => r.status === "acquired");
    expect(winners).toHaveLength(1);
    const holder = (await a.locks.list())[0]?.pr;
    for (const r of results) if (r.status === "held") expect(r.by).toBe(holder);
  });

  it("release by the holder, refusal for another PR, release by an operator, release all of a PR", async () => {
    const store = t.fresh();
    await store.locks.acquire(REPO, "network", 7);
    await store.locks.acquire(REPO, "dns", 7);
    await store.locks.acquire(REPO, "compute", 9);
    expect(await store.locks.release(REPO, "network", 8)).toEqual({ status: "held", by: 7 });
    expect(await store.locks.release(REPO, "network", 7)).toMatchObject({ status: "released", lock: { project: "network", pr: 7 } });
    expect(await store.locks.release(REPO, "network", 7)).toEqual({ status: "not-locked" });
    expect(await store.locks.release(REPO, "compute")).toMatchObject({ status: "released", lock: { pr: 9 } });
    await store.locks.acquire(REPO, "network", 7);
    expect((await store.locks.releaseAllForPr(REPO, 7)).map((l) => l.project)).toEqual(["dns", "network"]);
    expect(await store.locks.releaseAllForPr(REPO, 7)).toEqual([]);
    expect(await store.locks.list()).toEqual([]);
  });

  it("validates input", async () => {
    const store = t.fresh();
    await expect(store.locks.acquire(REPO, "", 7)).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.locks.acquire(REPO, "network", 0)).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.locks.release("x", "network")).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.locks.list("not a repo")).rejects.toMatchObject({ code: "invalid-input" });
  });
});

describe("deliveries", () => {
  const t = useTempStores();

  it("dedupes by delivery id, also across two connections", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    expect(await a.deliveries.record("72d3162e-cc78-11e3-81ab-4c9367dc0958", "pull_request")).toBe("new");
    expect(await b.deliveries.record("72d3162e-cc78-11e3-81ab-4c9367dc0958", "pull_request")).toBe("duplicate");
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).deliveries.record("burst", "issue_comment")));
    expect(burst.filter((r) => r === "new")).toHaveLength(1);
  });

  it("tells whether an id was recorded, from another connection too, without recording it", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    expect(await b.deliveries.seen("d-1")).toBe(false);
    expect(await b.deliveries.seen("d-1")).toBe(false);
    expect(await a.deliveries.record("d-1", "pull_request")).toBe("new");
    expect(await b.deliveries.seen("d-1")).toBe(true);
    expect(await b.deliveries.seen("d-2")).toBe(false);
    expect(await a.deliveries.record("d-2", "pull_request")).toBe("new");
  });

  it("forgets deliveries after the retention period", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock, deliveryRetentionMs: 3_600_000 });
    expect(await store.deliveries.record("d1", "pull_request")).toBe("new");
    clock.advance(3_600_001);
    // This write prunes d1 (older than the retention), so d1 is new again afterwards.
    expect(await store.deliveries.record("d2", "pull_request")).toBe("new");
    expect(await store.deliveries.record("d1", "pull_request")).toBe("new");
    expect(await store.deliveries.record("d2", "pull_request")).toBe("duplicate");
  });

  it("dedupes by payload identity under any delivery id, also across two connections and after reopening", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    const plan = { key: "issue_comment/11/created/1", at: null };
    expect(await a.deliveries.record("d-1", "issue_comment", plan)).toBe("new");
    expect(await b.deliveries.seen("replay-1", plan)).toBe(true);
    expect(await b.deliveries.record("replay-1", "issue_comment", plan)).toBe("duplicate");
    // The replay was not recorded: its id alone is unknown.
    expect(await b.deliveries.seen("replay-1")).toBe(false);
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).deliveries.record(`burst-${i}`, "issue_comment", { key: "issue_comment/12/created/1", at: null })));
    expect(burst.filter((r) => r === "new")).toHaveLength(1);
    // Other identities, and events without one, are new.
    expect(await a.deliveries.record("d-2", "issue_comment", { key: "issue_comment/11/edited/2", at: null })).toBe("new");
    expect(await a.deliveries.record("d-3", "ping", null)).toBe("new");
    expect(await a.deliveries.record("d-4", "ping")).toBe("new");
    a.close();
    b.close();
    const reopened = t.open({ path });
    expect(await reopened.deliveries.seen("replay-2", plan)).toBe(true);
    expect(await reopened.deliveries.record("replay-2", "issue_comment", plan)).toBe("duplicate");
  });

  it("counts an event older than what it still remembers as seen, without recording it", async () => {
    const clock = fakeClock();
    const day = 24 * 3_600_000;
    const store = t.fresh({ clock, deliveryRetentionMs: 7 * day });
    const old = { key: "issue_comment/11/created/1", at: clock.now() - 7 * day };
    expect(await store.deliveries.seen("d-old", old)).toBe(true);
    expect(await store.deliveries.record("d-old", "issue_comment", old)).toBe("duplicate");
    expect(await store.deliveries.seen("d-old")).toBe(false);
    // Within the retention, less a margin for clocks that disagree: new, then remembered.
    const recent = { key: "issue_comment/12/created/1", at: clock.now() - 7 * day + 2 * 3_600_000 };
    expect(await store.deliveries.seen("d-recent", recent)).toBe(false);
    expect(await store.deliveries.record("d-recent", "issue_comment", recent)).toBe("new");
    // Until it is pruned, when its event time is past the horizon too.
    clock.advance(7 * day + 1);
    expect(await store.deliveries.record("d-later", "ping")).toBe("new");
    expect(await store.deliveries.record("replay", "issue_comment", recent)).toBe("duplicate");
  });

  it("migrates a database recorded before identities: old rows still dedupe by id", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const raw = new Database(path);
    migrate(raw, () => 1, MIGRATIONS.slice(0, 2));
    raw.prepare("INSERT INTO deliveries (id, event, received_at) VALUES ('before', 'issue_comment', ?)").run(Date.now());
    raw.close();
    const store = t.open({ path });
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(await store.deliveries.record("before", "issue_comment", { key: "issue_comment/1/created/1", at: null })).toBe("duplicate");
    expect(await store.deliveries.record("after", "issue_comment", { key: "issue_comment/1/created/1", at: null })).toBe("new");
  });

  it("validates input", async () => {
    const store = t.fresh();
    await expect(store.deliveries.record("d", "issue_comment", { key: "has space", at: null })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.deliveries.record("d", "issue_comment", { key: "k".repeat(501), at: null })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.deliveries.seen("d", { key: "k", at: Number.NaN })).rejects.toMatchObject({ code: "invalid-input" });
    expect(await store.deliveries.seen("d")).toBe(false);
    await expect(store.deliveries.record("", "pull_request")).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.deliveries.record("has space", "pull_request")).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.deliveries.record("d", "Pull Request")).rejects.toMatchObject({ code: "invalid-input" });
  });
});

describe("audit", () => {
  const t = useTempStores();

  it("appends records and lists them newest first, paged and filtered", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    const first = await store.audit.append({
      actor: "sre-bob",
      action: "apply",
      repo: REPO,
      pr: 7,
      project: "network",
      headSha: SHA_A,
      planSha256: PLAN_SHA_1,
      result: "succeeded",
      durationMs: 12_345,
      detail: { resources: 3 },
    });
    expect(first).toMatchObject({ at: clock.now(), actor: "sre-bob", pr: 7, durationMs: 12_345, detail: { resources: 3 } });
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await store.audit.append({ actor: "tfgate[bot]", action: "unlock", repo: i % 2 ? REPO : "acme/other", pr: 8, result: "succeeded" });
    }
    const all = await store.audit.list();
    expect(all).toHaveLength(6);
    expect(all.map((a) => a.id)).toEqual([...all.map((a) => a.id)].sort((x, y) => y - x));
    expect(all.at(-1)).toEqual(first);
    const page1 = await store.audit.list({ limit: 2 });
    const page2 = await store.audit.list({ limit: 2, before: page1.at(-1)?.id });
    expect([...page1, ...page2].map((a) => a.id)).toEqual(all.slice(0, 4).map((a) => a.id));
    expect((await store.audit.list({ repo: REPO })).map((a) => a.repo)).toEqual([REPO, REPO, REPO]);
    expect(await store.audit.list({ repo: REPO, pr: 7 })).toEqual([first]);
    expect(first.project).toBe("network");
    const minimal = all[0];
    expect(minimal).toMatchObject({ project: null, headSha: null, planSha256: null, durationMs: null, detail: null });
  });

  it("validates input and writes nothing on bad input", async () => {
    const store = t.fresh();
    const ok = { actor: "alice", action: "apply", repo: REPO, result: "succeeded" };
    const bad = [
      { ...ok, actor: "" },
      { ...ok, action: "Apply!" },
      { ...ok, result: "" },
      { ...ok, durationMs: -1 },
      { ...ok, planSha256: "short" },
      { ...ok, detail: { big: 1n } },
    ];
    for (const entry of bad) await expect(store.audit.append(entry)).rejects.toMatchObject({ code: "invalid-input" });
    expect(await store.audit.list()).toEqual([]);
    await expect(store.audit.list({ limit: 0 })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.audit.list({ limit: 1001 })).rejects.toMatchObject({ code: "invalid-input" });
  });
});
