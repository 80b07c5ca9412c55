import { existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRemoteBranches } from "../../src/adapters/git/remote-branches.js";
import type { OpenStore } from "../../src/adapters/store/open-store.js";
import { checkDrift, type DriftCheckEvent, type DriftProjectResult } from "../../src/app/check-drift.js";
import { driftTargets, type DriftRepo } from "../../src/app/drift-targets.js";
import { planProjects } from "../../src/app/plan-projects.js";
import { repoKeyFor, type PlanEngine } from "../../src/compose/plan-engine.js";
import { DEFAULT_RUN_SETTINGS, type Project } from "../../src/domain/projects/discover-projects.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { openTestStore } from "../helpers/open-test-store.js";
import { createTestEngine } from "../helpers/test-engine.js";

const app = (input: string) => `variable "label" {\n  default = "${input}"\n}\nresource "terraform_data" "x" {\n  input = var.label\n}\n`;
const APP: Project = { name: "app", dir: "projects/app", whenModified: [], dependsOn: [], run: DEFAULT_RUN_SETTINGS, inputs: [] };

/** Drift checks through real tofu (sandboxed), against the local state pull requests' applies use. */
describe("checkDrift (real tofu)", () => {
  let repo: TestRepo;
  let engine: PlanEngine;
  let store: OpenStore;
  let cleanup: () => void;
  let target: DriftRepo;
  let sideSha: string;
  const events: DriftCheckEvent[] = [];

  beforeAll(() => {
    repo = createTestRepo();
    repo.write({ "projects/app/main.tf": app("v1"), "projects/quiet/main.tf": 'resource "terraform_data" "q" {\n  input = "q"\n}\n', "projects/broken/main.tf": 'resource "terraform_data" "b" {\n  input = var.missing\n}\n',
      // The default branch's policies judge drift plans as they judge pull requests' plans.
      "policies/data.yaml": "version: 1\nrules:\n  - id: no-changes-to-data\n    kind: denied-resource-types\n    types: [terraform_data]\n    reason: data is written by hand\n",
    });
    repo.commit("main");
    // A change that was applied but never merged: what makes the state differ from main.
    repo.git("checkout", "-q", "-b", "side");
    repo.write({ "projects/app/main.tf": app("v2") });
    sideSha = repo.commit("side");
    repo.git("checkout", "-q", "main");
    const made = createTestEngine("tfgate-drift-");
    engine = made.engine;
    store = openTestStore(made.dataDir);
    cleanup = () => {
      store.close();
      made.cleanup();
    };
    target = { name: "acme/infra", source: repo.dir, key: repoKeyFor(repo.dir) };
  });
  afterAll(() => {
    cleanup();
    repo.cleanup();
  });

  /** Plans and applies `app` at `sha` as a pull request's apply would: same state path. */
  async function applyApp(sha: string, project: Project = APP, scope = "setup"): Promise<void> {
    const [plan] = await planProjects(engine, { repo: { key: target.key, source: target.source }, sha, targets: [{ project, localState: true, trusted: true }], planDir: engine.planDir, stateDir: engine.stateDir, scope });
    if (plan?.outcome.status !== "changes") throw new Error(`expected changes, got ${JSON.stringify(plan?.outcome.status)}`);
    const ws = await engine.workspaces.checkout({ repoKey: target.key, source: target.source, sha, jobId: engine.newId() });
    try {
      const applied = await engine.terraform.apply({
        checkoutDir: ws.dir,
        workdir: `${ws.dir}/${project.dir}`,
        dataDir: ws.dataDir,
        tmpDir: ws.tmpDir,
        planFile: plan.outcome.plan.path,
        planSha256: plan.outcome.plan.sha256,
        localStatePath: `${engine.stateDir}/${target.key}/${project.name}/terraform.tfstate`,
      });
      expect(applied.status).toBe("applied");
    } finally {
      await ws.dispose();
    }
  }

  // Records every event, then fails: a listener's failure must not reach the check.
  const listener = async (e: DriftCheckEvent) => {
    events.push(e);
    throw new Error("listener down");
  };
  const eventOf = (project: string) => events.filter((e) => e.record.project === project).at(-1);

  async function check(projects: string[], slot: number): Promise<Map<string, DriftProjectResult>> {
    const resolved = await driftTargets({ ...engine, branches: createRemoteBranches({ gitEnv: process.env }) }, target);
    if (resolved.status !== "ok") throw new Error(resolved.message);
    expect(resolved.targets.sha).toBe(repo.git("rev-parse", "main"));
    const results = await checkDrift({ ...engine, locks: store.locks, drift: store.drift, afterCheck: listener }, { targets: resolved.targets, projects: projects.map((name) => ({ name })), scheduledFor: slot, planDir: engine.planDir, stateDir: engine.stateDir, concurrency: 1 });
    return new Map(results.map((r) => [r.project, r]));
  }

  it("applied and unchanged: in-sync; a broken project: error; a locked project is still checked and names the holder", async () => {
    await applyApp(repo.git("rev-parse", "main"));
    await applyApp(repo.git("rev-parse", "main"), { ...APP, name: "quiet", dir: "projects/quiet" });
    expect(await store.locks.acquire("acme/infra", "quiet", 12)).toEqual({ status: "acquired" });
    const results = await check(["app", "quiet", "broken"], 1000);
    expect(results.get("app")).toMatchObject({ status: "checked", outcome: { state: "in-sync" }, lockedBy: null });
    expect(results.get("quiet")).toMatchObject({ status: "checked", outcome: { state: "in-sync" }, lockedBy: 12 });
    expect(results.get("broken")).toMatchObject({ status: "checked", outcome: { state: "error", message: expect.stringContaining("missing") } });
    // Read-only: the lock is still the pull request's.
    expect((await store.locks.list("acme/infra")).map((l) => [l.project, l.pr])).toEqual([["quiet", 12]]);
    expect((await store.drift.latest("acme/infra")).map((r) => [r.project, r.state, r.lockedBy])).toEqual([["app", "in-sync", null], ["broken", "error", null], ["quiet", "in-sync", 12]]);
    // Each finished check told once, a project's first with nothing before it.
    expect(events.map((e) => [e.record.project, e.record.state, e.previous, e.lastKnown]).sort()).toEqual([["app", "in-sync", null, null], ["broken", "error", null, null], ["quiet", "in-sync", null, null]]);
  });

  it("state changed outside the merged code (an unmerged branch applied): drifted, with counts and the diff", async () => {
    await applyApp(sideSha, APP, "pr-side");
    const results = await check(["app"], 2000);
    const app = results.get("app");
    expect(app).toMatchObject({ status: "checked", outcome: { state: "drifted", counts: { add: 0, change: 1, destroy: 0, replace: 0 }, policy: { status: "failed", violations: [{ rule: "no-changes-to-data" }] } } });
    expect(app?.status === "checked" && app.outcome.state === "drifted" && app.outcome.diff).toContain('"v2" -> "v1"');
    const [latest] = await store.drift.history("acme/infra", "app", 1);
    expect(latest).toMatchObject({ state: "drifted", sha: repo.git("rev-parse", "main"), scheduledFor: 2000, counts: { change: 1 }, policy: { status: "failed" } });
    // Drift plans are made apart from pull requests' and never kept: nothing may apply them.
    const driftDir = `${engine.planDir}/drift`;
    expect(existsSync(driftDir)).toBe(true);
    expect(readdirSync(driftDir, { recursive: true }).map(String).filter((f) => f.endsWith(".tfplan"))).toEqual([]);
    expect(eventOf("app")).toMatchObject({ record: { state: "drifted" }, previous: { state: "in-sync" }, lastKnown: { state: "in-sync" } });
  });

  it("a failed check in between: the next one's lastKnown skips it, so drift is resolved against the last comparison", async () => {
    const broken = await store.drift.begin({ repo: "acme/infra", project: "app", sha: "0".repeat(40), scheduledFor: 2500 });
    if (broken.status !== "started") throw new Error("expected a started check");
    await store.drift.finish(broken.id, { state: "error", message: "provider down" }, null);
    await applyApp(repo.git("rev-parse", "main"), APP, "pr-revert");
    const results = await check(["app"], 3000);
    expect(results.get("app")).toMatchObject({ outcome: { state: "in-sync" } });
    expect(eventOf("app")).toMatchObject({ record: { state: "in-sync" }, previous: { state: "error" }, lastKnown: { state: "drifted" } });
  });
});
