import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRemoteBranches } from "../../src/adapters/git/remote-branches.js";
import type { OpenStore } from "../../src/adapters/store/open-store.js";
import { createDriftScheduler, type DriftScheduler } from "../../src/app/drift-scheduler.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import { repoKeyFor, type PlanEngine } from "../../src/compose/plan-engine.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { openTestStore } from "../helpers/open-test-store.js";
import { createTestEngine } from "../helpers/test-engine.js";
import { fakeClock, planFor } from "../store/store-fixtures.js";

const REPO = "acme/infra";
const SLOT = Date.UTC(2026, 11, 5, 5, 17);

/** The schedule through real tofu: one replica holds it, a stop's unfinished check runs again once. */
describe("drift scheduler (real tofu)", () => {
  let repo: TestRepo;
  let gitBase: string;
  let engine: PlanEngine;
  let dataDir: string;
  let cleanupEngine: () => void;
  let mainSha: string;
  const opened: OpenStore[] = [];
  const schedulers: DriftScheduler[] = [];

  beforeAll(() => {
    repo = createTestRepo();
    repo.write({ "projects/app/main.tf": 'resource "terraform_data" "x" {\n  input = "v1"\n}\n', "tfgate.yaml": "drift:\n  schedule: '17 5 * * *'\n" });
    mainSha = repo.commit("main");
    // Served where the server's git base URL says `acme/infra` lives.
    gitBase = mkdtempSync(join(tmpdir(), "tfgate-drift-remote-"));
    mkdirSync(join(gitBase, "acme"));
    execFileSync("git", ["clone", "-q", "--bare", repo.dir, join(gitBase, "acme", "infra.git")]);
    const made = createTestEngine("tfgate-drift-sched-");
    engine = made.engine;
    dataDir = made.dataDir;
    cleanupEngine = made.cleanup;
  });
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    for (const s of opened.splice(0)) s.close();
    rmSync(join(dataDir, "tfgate.sqlite"), { force: true });
    rmSync(join(dataDir, "tfgate.sqlite-wal"), { force: true });
    rmSync(join(dataDir, "tfgate.sqlite-shm"), { force: true });
  });
  afterAll(() => {
    cleanupEngine();
    repo.cleanup();
    rmSync(gitBase, { recursive: true, force: true });
  });

  async function storeAt(clock: { now: () => number }): Promise<OpenStore> {
    const store = openTestStore(dataDir, { clock });
    opened.push(store);
    return store;
  }

  function scheduler(store: OpenStore, holder: string, clock: { now: () => number }, gone: readonly string[] = []): DriftScheduler {
    const s = createDriftScheduler(
      {
        ...engine,
        branches: createRemoteBranches({ gitEnv: process.env }),
        locks: store.locks,
        drift: store.drift,
        leases: store.leases,
        vcs: { resolveRepo: async (owner, name) => ({ owner, name, hostId: 1 }), cloneToken: async () => "unused for local sources" },
        log: silentLogger,
        repoKeyFor,
        now: clock.now,
        holderGone: (h) => gone.includes(h),
      },
      { enabled: true, schedule: "0 0 1 1 *", jitterMs: 0, gitBaseUrl: gitBase, planDir: engine.planDir, stateDir: engine.stateDir, concurrency: 1, holder, leaseTtlMs: 60_000 },
    );
    schedulers.push(s);
    return s;
  }

  it("one holder runs the schedule; another takes over only once the lease expired; a slot is checked once", async () => {
    const clock = fakeClock(Date.UTC(2026, 11, 5, 12, 0));
    const store = await storeAt(clock);
    await store.plans.save(planFor({ repo: REPO }));
    const a = scheduler(store, "replica-a", clock);
    const b = scheduler(store, "replica-b", clock);
    const first = await a.tick();
    // tfgate.yaml's schedule (05:17 daily) wins over the server's; never checked: due at once.
    expect(first).toMatchObject({ status: "ran", results: [{ status: "checked", project: "app", outcome: { state: "drifted", counts: { add: 1 } } }] });
    expect(await b.tick()).toEqual({ status: "not-leader", holder: "replica-a" });
    // A holder not known to be gone keeps the lease until it expires; one known to be gone does not.
    const c = scheduler(store, "replica-c", clock, ["replica-a"]);
    expect(await c.tick()).toEqual({ status: "ran", resumed: 0, results: [] });
    expect(await a.tick()).toEqual({ status: "not-leader", holder: "replica-c" });
    await c.stop();
    clock.advance(61_000);
    const takeover = await b.tick();
    expect(takeover).toEqual({ status: "ran", resumed: 0, results: [] });
    expect(await a.tick()).toEqual({ status: "not-leader", holder: "replica-b" });
    expect((await store.drift.history(REPO, "app")).map((r) => [r.scheduledFor, r.state, r.sha])).toEqual([[SLOT, "drifted", mainSha]]);
    // The next day's slot is due once.
    clock.advance(24 * 3600_000);
    const nextDay = await b.tick();
    expect(nextDay.status === "ran" && nextDay.results.map((r) => r.project)).toEqual(["app"]);
    expect((await store.drift.history(REPO, "app")).map((r) => r.scheduledFor)).toEqual([SLOT + 24 * 3600_000, SLOT]);
  });

  it("a check a stop left started runs again once after the restart, and its slot is not checked twice", async () => {
    const clock = fakeClock(Date.UTC(2026, 11, 5, 12, 0));
    const before = await storeAt(clock);
    await before.plans.save(planFor({ repo: REPO }));
    const begun = await before.drift.begin({ repo: REPO, project: "app", sha: mainSha, scheduledFor: SLOT });
    expect(begun.status).toBe("started");
    before.close();
    const store = await storeAt(clock);
    const restarted = scheduler(store, "replica-c", clock);
    const tick = await restarted.tick();
    expect(tick).toMatchObject({ status: "ran", resumed: 1, results: [{ status: "checked", project: "app", checkId: begun.status === "started" ? begun.id : -1, outcome: { state: "drifted" } }] });
    expect(tick.status === "ran" && tick.results).toHaveLength(1);
    expect(await restarted.tick()).toEqual({ status: "ran", resumed: 0, results: [] });
    expect((await store.drift.history(REPO, "app")).map((r) => [r.scheduledFor, r.state, r.resumes])).toEqual([[SLOT, "drifted", 1]]);
  });
});
