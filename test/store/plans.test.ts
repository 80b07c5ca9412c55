import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { PLAN_SHA_1, PLAN_SHA_2, REPO, SHA_A, SHA_B, fakeClock, planFor, useTempStores } from "./store-fixtures.js";

describe("plans", () => {
  const t = useTempStores();

  it("saves a plan as current and round-trips its JSON", async () => {
    const store = t.fresh();
    const saved = await store.plans.save(planFor());
    expect(saved).toMatchObject({
      repo: REPO,
      pr: 7,
      project: "network",
      headSha: SHA_A,
      state: "current",
      file: { path: "/var/lib/tfgate/plans/7-network.tfplan", sha256: PLAN_SHA_1 },
      summary: { status: "changes", counts: { add: 1, change: 0, destroy: 0, replace: 0 } },
      policy: { status: "passed", warnings: [] },
    });
    expect(await store.plans.current(REPO, 7, "network")).toEqual(saved);
    expect(await store.plans.current(REPO, 7, "dns")).toBeNull();
  });

  it("a newer plan supersedes the older one of the same PR and project only", async () => {
    const store = t.fresh();
    const old = await store.plans.save(planFor());
    const otherProject = await store.plans.save(planFor({ project: "dns" }));
    const otherPr = await store.plans.save(planFor({ pr: 8 }));
    const fresh = await store.plans.save(planFor({ headSha: SHA_B, file: { path: "/p/2.tfplan", sha256: PLAN_SHA_2 } }));

    expect((await store.plans.current(REPO, 7, "network"))?.id).toBe(fresh.id);
    expect((await store.plans.current(REPO, 7, "dns"))?.id).toBe(otherProject.id);
    expect((await store.plans.current(REPO, 8, "network"))?.id).toBe(otherPr.id);
    const forPr = await store.plans.forPr(REPO, 7);
    expect(forPr.map((p) => [p.project, p.id, p.state])).toEqual([
      ["dns", otherProject.id, "current"],
      ["network", fresh.id, "current"],
    ]);
    expect(old.id).toBeLessThan(fresh.id);
  });

  it("records plans without changes (no file)", async () => {
    const store = t.fresh();
    const saved = await store.plans.save(planFor({ file: null, summary: { status: "no-changes" }, policy: null }));
    expect(saved).toMatchObject({ file: null, policy: null, summary: { status: "no-changes" } });
  });

  it("discarding a PR returns its plan files, keeps other PRs, and is idempotent", async () => {
    const store = t.fresh();
    await store.plans.save(planFor({ file: { path: "/p/a.tfplan", sha256: PLAN_SHA_1 } }));
    await store.plans.save(planFor({ file: { path: "/p/b.tfplan", sha256: PLAN_SHA_2 } }));
    await store.plans.save(planFor({ project: "dns", file: null }));
    await store.plans.save(planFor({ pr: 8, file: { path: "/p/other-pr.tfplan", sha256: PLAN_SHA_1 } }));

    expect(await store.plans.discardPr(REPO, 7)).toEqual(["/p/a.tfplan", "/p/b.tfplan"]);
    expect(await store.plans.current(REPO, 7, "network")).toBeNull();
    expect((await store.plans.forPr(REPO, 7)).map((p) => p.state)).toEqual(["discarded", "discarded"]);
    expect(await store.plans.discardPr(REPO, 7)).toEqual([]);
    expect((await store.plans.current(REPO, 8, "network"))?.state).toBe("current");
  });

  it("keeps the file of a plan whose apply is still running", async () => {
    const store = t.fresh();
    await store.plans.save(planFor({ file: { path: "/p/applying.tfplan", sha256: PLAN_SHA_1 } }));
    await store.locks.acquire(REPO, "network", 7);
    const claim = await store.jobs.claimApply({ repo: REPO, pr: 7, project: "network", headSha: SHA_A, planSha256: PLAN_SHA_1, actor: "bob" });
    expect(claim.status).toBe("claimed");
    expect(await store.plans.discardPr(REPO, 7)).toEqual([]);
    expect((await store.plans.current(REPO, 7, "network"))?.state).toBe("current");
  });

  it("keeps each plan's content hash and when the summary first showed it, in the PR's history", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    const first = await store.plans.save(planFor({ contentHash: "c".repeat(64) }));
    const noHash = await store.plans.save(planFor({ project: "dns" }));
    expect([first.contentHash, first.postedAt, noHash.contentHash]).toEqual(["c".repeat(64), null, null]);
    clock.advance(1_000);
    await store.plans.markPosted([first.id, noHash.id]);
    clock.advance(1_000);
    await store.plans.markPosted([first.id]); // shown again: the first time stays
    const second = await store.plans.save(planFor({ contentHash: "d".repeat(64) }));
    await store.plans.save(planFor({ pr: 8 }));
    expect((await store.plans.history(REPO, 7)).map((p) => [p.id, p.project, p.state, p.contentHash?.[0] ?? null, p.postedAt])).toEqual([
      [first.id, "network", "superseded", "c", clock.now() - 1_000],
      [noHash.id, "dns", "current", null, clock.now() - 1_000],
      [second.id, "network", "current", "d", null],
    ]);
    await expect(store.plans.save(planFor({ contentHash: "not a hash" }))).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.plans.markPosted([0])).rejects.toMatchObject({ code: "invalid-input" });
  });

  it("makes one content key per database and keeps it", async () => {
    const path = join(t.dir(), "tfgate.sqlite");
    const key = await t.open({ path }).plans.contentKey();
    expect(key).toHaveLength(32);
    expect(await t.open({ path }).plans.contentKey()).toEqual(key);
    expect(await t.fresh().plans.contentKey()).not.toEqual(key);
  });

  it("validates input and writes nothing on bad input", async () => {
    const store = t.fresh();
    const bad = [
      planFor({ repo: "acme" }),
      planFor({ headSha: "deadbeef" }),
      planFor({ file: { path: "relative.tfplan", sha256: PLAN_SHA_1 } }),
      planFor({ file: { path: "/p/x.tfplan", sha256: "xyz" } }),
      planFor({ summary: undefined }),
      planFor({ summary: { n: Number.NaN } as never }),
      planFor({ summary: { n: 10n } as never }),
      planFor({ policy: { f: () => 1 } as never }),
      { ...planFor(), file: undefined } as never,
    ];
    for (const input of bad) await expect(store.plans.save(input)).rejects.toMatchObject({ code: "invalid-input" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.plans.save(planFor({ summary: cyclic as never }))).rejects.toMatchObject({ code: "invalid-input" });
    expect(await store.plans.forPr(REPO, 7)).toEqual([]);
    await expect(store.plans.current(REPO, -1, "network")).rejects.toMatchObject({ code: "invalid-input" });
  });
});
