import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planProjects } from "../../src/app/plan-projects.js";
import { createPlanEngine, type PlanEngine } from "../../src/compose/plan-engine.js";
import { DEFAULT_RUN_SETTINGS, type Project } from "../../src/domain/projects/discover-projects.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { createTestEngine } from "../helpers/test-engine.js";

/** Planning 20,000 resources takes several seconds: long enough to be superseded mid-run. */
const SLOW = `resource "terraform_data" "x" {\n  count = 20000\n  input = count.index\n}\n`;
const slow: Project = { name: "slow", dir: "projects/slow", whenModified: [], dependsOn: [], run: DEFAULT_RUN_SETTINGS, inputs: [] };

describe("superseding and timing out a running plan (real tofu)", () => {
  let repo: TestRepo;
  let dataDir: string;
  let engine: PlanEngine;
  let cleanup: () => void;

  beforeAll(() => {
    repo = createTestRepo();
    repo.write({ "projects/slow/main.tf": SLOW });
    repo.commit("slow project");
    // lockTimeout 0s: a stuck state lock would make the superseding plan fail at once.
    ({ engine, dataDir, cleanup } = createTestEngine("tfgate-cancel-", { concurrency: 2, lockTimeout: "0s" }));
  });
  afterAll(() => {
    repo.cleanup();
    cleanup();
  });

  const run = (sha: string, options: { onOutput?: (line: string) => void; with?: PlanEngine; scope?: string } = {}) => {
    const e = options.with ?? engine;
    return planProjects(e, {
      repo: { key: "cancel-repo", source: repo.dir },
      sha,
      targets: [{ project: slow, localState: true, trusted: true }],
      planDir: e.planDir,
      stateDir: e.stateDir,
      scope: options.scope ?? "pr-1",
      onOutput: options.onOutput ? (_p, line) => options.onOutput?.(line) : undefined,
    });
  };

  it("a new push cancels the old plan; tofu stops cleanly, taking no lock on local state and releasing the workspace", async () => {
    const firstSha = repo.git("rev-parse", "HEAD");
    let initialised!: () => void;
    const inPlan = new Promise<void>((resolve) => (initialised = resolve));
    const first = run(firstSha, {
      onOutput: (line) => {
        if (line.includes("has been successfully initialized")) initialised();
      },
    });
    await inPlan;
    await new Promise((r) => setTimeout(r, 1500));
    // Local state is read-only to a plan (only an apply may change it), so a plan takes no lock.
    const lockInfo = join(engine.stateDir, "cancel-repo", "slow", ".terraform.tfstate.lock.info");
    expect(existsSync(lockInfo)).toBe(false);

    repo.write({ "projects/slow/main.tf": SLOW.replace("20000", "20") });
    const secondSha = repo.commit("smaller");
    const second = run(secondSha);

    const [old] = await first;
    expect(old?.outcome).toMatchObject({ status: "error", reason: "cancelled" });
    const [fresh] = await second;
    expect(fresh?.outcome).toMatchObject({ status: "changes", counts: { add: 20, change: 0, destroy: 0, replace: 0 } });
    await engine.queue.onIdle();

    expect(existsSync(lockInfo)).toBe(false);
    expect(readdirSync(join(dataDir, "jobs"))).toEqual([]);
    expect(existsSync(join(engine.planDir, "cancel-repo", firstSha, "slow.tfplan"))).toBe(false);
  });

  it("a plan over its time limit ends with a clear timeout error", async () => {
    const quick = createPlanEngine({ ...engine.settings, planTimeoutMs: 2_000, killGraceMs: 15_000 }, { loadHclParser: () => import("@cdktn/hcl2json") });
    repo.write({ "projects/slow/main.tf": SLOW });
    const sha = repo.commit("slow again");
    const [r] = await run(sha, { with: quick, scope: "pr-2" });
    expect(r?.outcome).toMatchObject({ status: "error", reason: "timeout" });
    expect(r?.outcome.status === "error" && r.outcome.message).toMatch(/timed out after 2s/);
    expect(readdirSync(join(dataDir, "jobs"))).toEqual([]);
  });
});
