import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PLAN_SHA_1, PLAN_SHA_2, REPO, SHA_A, SHA_B, planFor, useTempStores } from "./store-fixtures.js";

/**
 * Failures injected with triggers from a second connection: each operation must commit all of its
 * writes or none.
 */
describe("atomicity and failures", () => {
  const t = useTempStores();

  it("a plan whose insert fails does not supersede the current one", async () => {
    const store = t.fresh();
    const old = await store.plans.save(planFor());
    const raw = new Database(store.path);
    raw.exec("CREATE TRIGGER boom BEFORE INSERT ON plans BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    await expect(store.plans.save(planFor({ headSha: SHA_B, file: { path: "/p/2.tfplan", sha256: PLAN_SHA_2 } }))).rejects.toMatchObject({
      code: "store-failed",
      cause: expect.objectContaining({ message: expect.stringContaining("injected failure") }),
    });
    raw.close();
    expect(await store.plans.current(REPO, 7, "network")).toEqual(old);
  });

  it("an apply cannot be recorded as succeeded unless its plan is marked applied with it", async () => {
    const store = t.fresh();
    await store.plans.save(planFor());
    await store.locks.acquire(REPO, "network", 7);
    const claim = await store.jobs.claimApply({ repo: REPO, pr: 7, project: "network", headSha: SHA_A, planSha256: PLAN_SHA_1, actor: "bob" });
    if (claim.status !== "claimed") throw new Error(claim.status);
    await store.jobs.transition(claim.jobId, "running");
    const raw = new Database(store.path);
    raw.exec("CREATE TRIGGER boom BEFORE UPDATE ON plans BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    await expect(store.jobs.transition(claim.jobId, "succeeded")).rejects.toMatchObject({ code: "store-failed" });
    expect((await store.jobs.get(claim.jobId))?.state).toBe("running");
    raw.exec("DROP TRIGGER boom");
    raw.close();
    await store.jobs.transition(claim.jobId, "succeeded");
    expect((await store.plans.forPr(REPO, 7))[0]?.state).toBe("applied");
  });

  it("reports a database held by another process past the busy timeout as busy, writing nothing", async () => {
    const store = t.fresh({ busyTimeoutMs: 50 });
    const raw = new Database(store.path);
    raw.exec("BEGIN IMMEDIATE");
    await expect(store.locks.acquire(REPO, "network", 7)).rejects.toMatchObject({ code: "busy" });
    await expect(store.deliveries.record("d1", "pull_request")).rejects.toMatchObject({ code: "busy" });
    raw.exec("ROLLBACK");
    raw.close();
    expect(await store.locks.list()).toEqual([]);
    expect(await store.deliveries.record("d1", "pull_request")).toBe("new");
  });

  it("clips an overlong job error instead of leaving the job unfinished", async () => {
    const store = t.fresh();
    await store.jobs.create({ id: "j1", repo: REPO, pr: 7, project: "network", headSha: SHA_A });
    await store.jobs.transition("j1", "running");
    const job = await store.jobs.transition("j1", "failed", { error: "x".repeat(200_000) });
    expect(job.state).toBe("failed");
    expect(job.error?.length).toBeLessThanOrEqual(64 * 1024);
    expect(job.error).toMatch(/clipped/);
  });
});
