import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JobState } from "../../src/app/ports/jobs.js";
import { PLAN_SHA_1, REPO, SHA_A, fakeClock, planFor, useTempStores } from "./store-fixtures.js";

const job = (id: string, project = "network") => ({ id, repo: REPO, pr: 7, project, headSha: SHA_A, actor: "alice" });

describe("jobs", () => {
  const t = useTempStores();

  it("creates queued plan jobs and walks them through their lifecycle with timestamps", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    const created = await store.jobs.create(job("j1"));
    expect(created).toMatchObject({ id: "j1", kind: "plan", state: "queued", planId: null, actor: "alice", startedAt: null, finishedAt: null });

    clock.advance(1000);
    const running = await store.jobs.transition("j1", "running");
    expect(running.startedAt).toBe(created.createdAt + 1000);
    clock.advance(500);
    const done = await store.jobs.transition("j1", "failed", { error: "tofu init failed" });
    expect(done).toMatchObject({ state: "failed", error: "tofu init failed", finishedAt: created.createdAt + 1500 });
    expect(await store.jobs.get("j1")).toEqual(done);
    expect(await store.jobs.get("nope")).toBeNull();
  });

  it("refuses duplicate ids and bad input, writing nothing", async () => {
    const store = t.fresh();
    await store.jobs.create(job("j1"));
    await expect(store.jobs.create(job("j1"))).rejects.toMatchObject({ code: "conflict" });
    const bad = [
      { ...job("j2"), repo: "no-slash" },
      { ...job("j2"), pr: 0 },
      { ...job("j2"), pr: 1.5 },
      { ...job("j2"), headSha: "abc" },
      { ...job("j2"), headSha: "A".repeat(40) },
      { ...job("j2"), project: "../etc" },
      { ...job("j2"), id: "" },
      { ...job("j2"), actor: "bad actor" },
    ];
    for (const input of bad) await expect(store.jobs.create(input)).rejects.toMatchObject({ code: "invalid-input" });
    expect(await store.jobs.get("j2")).toBeNull();
    await expect(store.jobs.transition("j1", "paused" as JobState)).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.jobs.transition("j1", "running", { error: "x" })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.jobs.transition("missing", "running")).rejects.toMatchObject({ code: "not-found" });
  });

  it("never lets a finished job restart or change again", async () => {
    const store = t.fresh();
    for (const end of ["succeeded", "failed", "cancelled", "interrupted"] as const) {
      const id = `j-${end}`;
      await store.jobs.create(job(id));
      await store.jobs.transition(id, "running");
      await store.jobs.transition(id, end);
      for (const to of ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const) {
        await expect(store.jobs.transition(id, to)).rejects.toMatchObject({ code: "invalid-transition" });
      }
      expect((await store.jobs.get(id))?.state).toBe(end);
    }
    // Succeeding needs running first.
    await store.jobs.create(job("q"));
    await expect(store.jobs.transition("q", "succeeded")).rejects.toMatchObject({ code: "invalid-transition" });
    await expect(store.jobs.transition("q", "queued")).rejects.toMatchObject({ code: "invalid-transition" });
  });

  it("restart recovery: jobs left queued or running come back as interrupted, once", async () => {
    const path = join(t.dir(), "data", "tfgate.sqlite");
    const clock = fakeClock();
    const before = t.open({ path, clock });
    await before.jobs.create(job("queued-1", "network"));
    await before.jobs.create(job("running-1", "dns"));
    await before.jobs.transition("running-1", "running");
    await before.jobs.create(job("done-1", "compute"));
    await before.jobs.transition("done-1", "running");
    await before.jobs.transition("done-1", "succeeded");
    // An apply in flight when the process dies.
    await before.plans.save(planFor({ project: "dns" }));
    await before.locks.acquire(REPO, "dns", 7);
    const claim = await before.jobs.claimApply({ repo: REPO, pr: 7, project: "dns", headSha: SHA_A, planSha256: PLAN_SHA_1, actor: "sre-bob" });
    if (claim.status !== "claimed") throw new Error(`expected a claim, got ${claim.status}`);
    await before.jobs.transition(claim.jobId, "running");
    before.close(); // no job finished: like a crash

    clock.advance(60_000);
    const after = t.open({ path, clock });
    const interrupted = await after.jobs.markInterrupted();
    expect(interrupted.map((i) => [i.job.id, i.previousState, i.job.state])).toEqual([
      ["queued-1", "queued", "interrupted"],
      ["running-1", "running", "interrupted"],
      [claim.jobId, "running", "interrupted"],
    ]);
    expect(interrupted[0]?.job).toMatchObject({ repo: REPO, pr: 7, project: "network", headSha: SHA_A, finishedAt: clock.now() });
    expect(interrupted[0]?.job.error).toMatch(/stopped/);
    expect((await after.jobs.get("done-1"))?.state).toBe("succeeded");
    expect(await after.jobs.markInterrupted()).toEqual([]);

    // The cut-off apply is on record, the lock stays with the PR, and nothing re-applies by itself.
    const audit = await after.audit.list();
    expect(audit).toEqual([
      expect.objectContaining({ actor: "sre-bob", action: "apply", result: "interrupted", project: "dns", planSha256: PLAN_SHA_1, headSha: SHA_A, pr: 7 }),
    ]);
    expect(await after.locks.list()).toEqual([expect.objectContaining({ project: "dns", pr: 7 })]);
    expect((await after.plans.current(REPO, 7, "dns"))?.state).toBe("current");
    expect(await after.jobs.claimApply({ repo: REPO, pr: 7, project: "dns", headSha: SHA_A, planSha256: PLAN_SHA_1, actor: "sre-bob" })).toEqual({
      status: "apply-interrupted",
      jobId: claim.jobId,
    });

    // Approvals before the PR was told no longer count: the report's time is kept with the job.
    expect(await after.jobs.interruptedApplies(REPO)).toEqual([{ jobId: claim.jobId, pr: 7, project: "dns", interruptedAt: clock.now(), reportedAt: null }]);
    clock.advance(5_000);
    await after.jobs.markReported(interrupted.map((i) => i.job.id));
    expect(await after.jobs.interruptedApplies(REPO)).toEqual([{ jobId: claim.jobId, pr: 7, project: "dns", interruptedAt: clock.now() - 5_000, reportedAt: clock.now() }]);
    expect(await after.jobs.interruptedApplies("acme/other")).toEqual([]);
    await expect(after.jobs.markReported(["bad id!"])).rejects.toMatchObject({ code: "invalid-input" });
  });

  it("an apply still queued at the crash touched nothing: the same plan may be claimed again", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const before = t.open({ path });
    await before.plans.save(planFor());
    await before.locks.acquire(REPO, "network", 7);
    const request = { repo: REPO, pr: 7, project: "network", headSha: SHA_A, planSha256: PLAN_SHA_1, actor: "sre-bob" };
    const claim = await before.jobs.claimApply(request);
    expect(claim.status).toBe("claimed");
    before.close();

    const after = t.open({ path });
    expect((await after.jobs.markInterrupted()).map((i) => i.previousState)).toEqual(["queued"]);
    expect((await after.audit.list())[0]).toMatchObject({ action: "apply", result: "interrupted", durationMs: null });
    expect((await after.jobs.claimApply(request)).status).toBe("claimed");
  });
});
