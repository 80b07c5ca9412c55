import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, SHA_A, SHA_B, fakeClock, planFor, useTempStores } from "./store-fixtures.js";

describe("drift checks", () => {
  const t = useTempStores();

  it("a check is started, then finished; latest is per project, history newest first", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    const a = await store.drift.begin({ repo: REPO, project: "network", sha: SHA_A, scheduledFor: 1000 });
    expect(a.status).toBe("started");
    if (a.status !== "started") return;
    expect((await store.drift.latest(REPO)).map((c) => [c.project, c.state])).toEqual([["network", "started"]]);
    clock.advance(5000);
    const done = await store.drift.finish(a.id, { state: "drifted", counts: { add: 1, change: 2, destroy: 0, replace: 0 }, diff: "~ change" }, 7);
    expect(done).toMatchObject({ state: "drifted", counts: { add: 1, change: 2 }, diff: "~ change", lockedBy: 7, checkedAt: clock.now() });
    await expect(store.drift.finish(a.id, { state: "in-sync" }, null)).rejects.toMatchObject({ code: "invalid-transition" });

    const b = await store.drift.begin({ repo: REPO, project: "network", sha: SHA_B, scheduledFor: 2000 });
    if (b.status !== "started") throw new Error("not started");
    await store.drift.finish(b.id, { state: "in-sync" }, null);
    const c = await store.drift.begin({ repo: REPO, project: "dns", sha: SHA_B, scheduledFor: 2000 });
    if (c.status !== "started") throw new Error("not started");
    await store.drift.finish(c.id, { state: "error", message: "init failed" }, null);

    expect((await store.drift.latest(REPO)).map((r) => [r.project, r.state, r.sha])).toEqual([["dns", "error", SHA_B], ["network", "in-sync", SHA_B]]);
    expect((await store.drift.history(REPO, "network")).map((r) => r.state)).toEqual(["in-sync", "drifted"]);
    expect(await store.drift.latest("acme/other")).toEqual([]);
  });

  it("a project with a started check refuses a second one, across connections", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).drift.begin({ repo: REPO, project: "network", sha: SHA_A, scheduledFor: 1 })));
    expect(results.filter((r) => r.status === "started")).toHaveLength(1);
    expect(results.filter((r) => r.status === "busy")).toHaveLength(9);
  });

  it("unfinished checks are resumed, each resume counted; past the limit they end as errors", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const first = t.open({ path });
    const begun = await first.drift.begin({ repo: REPO, project: "network", sha: SHA_A, scheduledFor: 1 });
    first.close();
    const second = t.open({ path });
    const resumed = await second.drift.resumeUnfinished(2);
    expect(resumed.map((r) => [r.project, r.resumes])).toEqual([["network", 1]]);
    expect(begun.status === "started" && resumed[0]?.id === begun.id).toBe(true);
    expect((await second.drift.resumeUnfinished(2)).map((r) => r.resumes)).toEqual([2]);
    expect(await second.drift.resumeUnfinished(2)).toEqual([]);
    expect((await second.drift.latest(REPO))[0]).toMatchObject({ state: "error", error: expect.stringContaining("not run again") });
  });

  it("repositories are those with pull request states or plans; input is validated", async () => {
    const store = t.fresh();
    expect(await store.drift.repositories()).toEqual([]);
    await store.plans.save(planFor({ repo: "acme/net" }));
    expect(await store.drift.repositories()).toEqual(["acme/net"]);
    await expect(store.drift.begin({ repo: REPO, project: "", sha: SHA_A, scheduledFor: 1 })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.drift.begin({ repo: REPO, project: "x", sha: "nope", scheduledFor: 1 })).rejects.toMatchObject({ code: "invalid-input" });
  });
});

describe("leases", () => {
  const t = useTempStores();

  it("one holder at a time; renew only by the holder; passes on after expiry or release", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    expect(await store.leases.acquire("drift", "a", 1000)).toEqual({ status: "acquired", expiresAt: clock.now() + 1000 });
    expect(await store.leases.acquire("drift", "b", 1000)).toMatchObject({ status: "held", by: "a" });
    expect(await store.leases.renew("drift", "b", 1000)).toBe(false);
    clock.advance(900);
    expect(await store.leases.renew("drift", "a", 1000)).toBe(true);
    clock.advance(900);
    expect(await store.leases.acquire("drift", "b", 1000)).toMatchObject({ status: "held", by: "a" });
    clock.advance(100);
    expect(await store.leases.acquire("drift", "b", 1000)).toMatchObject({ status: "acquired" });
    expect(await store.leases.renew("drift", "a", 1000)).toBe(false);
    await store.leases.release("drift", "a");
    expect(await store.leases.acquire("drift", "a", 1000)).toMatchObject({ status: "held", by: "b" });
    await store.leases.release("drift", "b");
    expect(await store.leases.acquire("drift", "a", 1000)).toMatchObject({ status: "acquired" });
  });

  it("contention across connections: exactly one holder", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).leases.acquire("drift", `replica-${i}`, 60_000)));
    expect(results.filter((r) => r.status === "acquired")).toHaveLength(1);
  });
});
