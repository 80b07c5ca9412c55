import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/adapters/store/sqlite-store.js";
import type { ApplyClaim, ApplyClaimRequest } from "../../src/app/ports/jobs.js";
import { PLAN_SHA_1, PLAN_SHA_2, REPO, SHA_A, SHA_B, planFor, useTempStores } from "./store-fixtures.js";

const request: ApplyClaimRequest = { repo: REPO, pr: 7, project: "network", headSha: SHA_A, planSha256: PLAN_SHA_1, actor: "sre-bob" };

/** A PR with a current plan and the project's lock: ready to apply. */
async function readyToApply(store: SqliteStore): Promise<void> {
  await store.plans.save(planFor());
  expect(await store.locks.acquire(REPO, "network", 7)).toEqual({ status: "acquired" });
}

function tally(claims: readonly { status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of claims) counts[c.status] = (counts[c.status] ?? 0) + 1;
  return counts;
}

describe("claimApply", () => {
  const t = useTempStores();

  it("20 concurrent /apply start exactly one apply", async () => {
    const store = t.fresh();
    await readyToApply(store);
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.jobs.claimApply(request)));
    expect(tally(claims)).toEqual({ claimed: 1, "already-applying": 19 });
    const winner = claims.find((c) => c.status === "claimed");
    if (winner?.status !== "claimed") throw new Error("no winner");
    expect(winner.plan).toMatchObject({ headSha: SHA_A, file: { sha256: PLAN_SHA_1 } });
    for (const c of claims) if (c.status === "already-applying") expect(c.jobId).toBe(winner.jobId);
    expect(await store.jobs.get(winner.jobId)).toMatchObject({ kind: "apply", state: "queued", actor: "sre-bob", planId: winner.plan.id });
  });

  it("20 concurrent claims over two store instances on one file start exactly one apply", async () => {
    const path = join(t.dir(), "data", "tfgate.sqlite");
    const a = t.open({ path });
    const b = t.open({ path });
    await readyToApply(a);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).jobs.claimApply(request)));
    expect(tally(claims)).toEqual({ claimed: 1, "already-applying": 19 });
  });

  it("20 claims from 4 processes at the same moment start exactly one apply", async () => {
    const path = join(t.dir(), "data", "tfgate.sqlite");
    const store = t.open({ path });
    await readyToApply(store);
    const results = (await claimInProcesses(path, 4, 5)).flat();
    expect(results).toHaveLength(20);
    expect(tally(results)).toEqual({ claimed: 1, "already-applying": 19 });
    const winner = results.find((r) => r.status === "claimed");
    expect(await store.jobs.get(winner?.jobId ?? "")).toMatchObject({ kind: "apply", state: "queued" });
  }, 60_000);

  it("after success: already-applied, the plan is applied, and a new claim needs a new plan", async () => {
    const store = t.fresh();
    await readyToApply(store);
    const claim = await store.jobs.claimApply(request);
    if (claim.status !== "claimed") throw new Error(claim.status);
    await store.jobs.transition(claim.jobId, "running");
    expect(await store.jobs.claimApply(request)).toEqual({ status: "already-applying", jobId: claim.jobId });
    await store.jobs.transition(claim.jobId, "succeeded");
    expect((await store.plans.forPr(REPO, 7))[0]?.state).toBe("applied");
    expect(await store.plans.current(REPO, 7, "network")).toBeNull();
    const again = await Promise.all(Array.from({ length: 5 }, () => store.jobs.claimApply(request)));
    expect(again).toEqual(Array(5).fill({ status: "already-applied", jobId: claim.jobId }));
  });

  it("a failed apply releases the claim: tofu itself refuses a stale saved plan", async () => {
    const store = t.fresh();
    await readyToApply(store);
    const claim = await store.jobs.claimApply(request);
    if (claim.status !== "claimed") throw new Error(claim.status);
    await store.jobs.transition(claim.jobId, "running");
    await store.jobs.transition(claim.jobId, "failed", { error: "provider error" });
    expect((await store.jobs.claimApply(request)).status).toBe("claimed");
  });

  it("refuses a plan that is no longer current, naming the current one", async () => {
    const store = t.fresh();
    await readyToApply(store);
    await store.plans.save(planFor({ headSha: SHA_B, file: { path: "/p/new.tfplan", sha256: PLAN_SHA_2 } }));
    const expected: ApplyClaim = { status: "plan-not-current", current: { headSha: SHA_B, sha256: PLAN_SHA_2 } };
    expect(await store.jobs.claimApply(request)).toEqual(expected);
    expect(await store.jobs.claimApply({ ...request, headSha: SHA_B })).toEqual(expected);
    expect(await store.jobs.claimApply({ ...request, project: "dns" })).toEqual({ status: "plan-not-current", current: null });
    await store.plans.discardPr(REPO, 7);
    expect(await store.jobs.claimApply({ ...request, headSha: SHA_B, planSha256: PLAN_SHA_2 })).toEqual({ status: "plan-not-current", current: null });
  });

  it("refuses when the PR does not hold the lock", async () => {
    const store = t.fresh();
    await store.plans.save(planFor());
    expect(await store.jobs.claimApply(request)).toEqual({ status: "lock-not-held", heldBy: null });
    await store.locks.acquire(REPO, "network", 9);
    expect(await store.jobs.claimApply(request)).toEqual({ status: "lock-not-held", heldBy: 9 });
  });

  it("one apply per repo+project at a time, whichever PR asks", async () => {
    const store = t.fresh();
    await readyToApply(store);
    const first = await store.jobs.claimApply(request);
    if (first.status !== "claimed") throw new Error(first.status);
    await store.locks.release(REPO, "network");
    await store.plans.save(planFor({ pr: 8 }));
    await store.locks.acquire(REPO, "network", 8);
    expect(await store.jobs.claimApply({ ...request, pr: 8 })).toEqual({ status: "already-applying", jobId: first.jobId });
  });

  it("validates input", async () => {
    const store = t.fresh();
    await expect(store.jobs.claimApply({ ...request, planSha256: "nope" })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.jobs.claimApply({ ...request, actor: "" })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.jobs.claimApply({ ...request, pr: -7 })).rejects.toMatchObject({ code: "invalid-input" });
  });
});

type WorkerResult = { status: ApplyClaim["status"]; jobId: string | null };

/** Starts `processes` workers, waits until each has opened the store, then releases them together. */
async function claimInProcesses(path: string, processes: number, claimsEach: number): Promise<WorkerResult[][]> {
  const worker = fileURLToPath(new URL("./claim-worker.ts", import.meta.url));
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ["--import", "tsx", worker, path, String(claimsEach), JSON.stringify(request)], {
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const outputs = children.map((child) => {
    let stdout = "";
    let stderr = "";
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.startsWith("ready\n")) onReady();
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<WorkerResult[]>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0) return reject(new Error(`claim worker exited ${code}: ${stderr}`));
        resolve(JSON.parse(stdout.slice("ready\n".length)) as WorkerResult[]);
      });
    });
    return { ready, done };
  });
  await Promise.race([Promise.all(outputs.map((o) => o.ready)), Promise.all(outputs.map((o) => o.done))]);
  for (const child of children) child.stdin.write("go\n");
  return Promise.all(outputs.map((o) => o.done));
}
