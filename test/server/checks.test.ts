import { describe, expect, it } from "vitest";
import { checkRunAdaptation, checkSuiteAdaptation, examplePayload, type FakeCheckRun } from "../../src/simulator/index.js";
import { planJobs } from "./plan-jobs.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** Taggable (hcloud labels) without the Project label: the built-in policy fails it, at line 2. */
const UNTAGGED = `# a bastion host group\nresource "hcloud_placement_group" "bastion" {\n  name   = "kirare-bastion"\n  type   = "spread"\n  labels = { Team = "sre" }\n}\n`;
const LEDGER = `resource "terraform_data" "extra" {\n  input = "one"\n}\n`;
const PROJECT_CHECKS = ["tfgate/plan: kirare", "tfgate/plan: ortensia"];

/** GitHub Checks through the real server (statuses and checks both on, as in every scenario). */
describe("check runs: per project and aggregate, annotations, Re-run", () => {
  // No progress publish: each plan's checks go straight to their verdict, so the counts below are exact.
  const h = useHarness({ env: { TFGATE_PROGRESS_DELAY_MS: "600000" } });
  let pr = { number: 0, sha: "" };
  /** tfgate's check runs of that name on the head, oldest first. */
  const runsNamed = (name: string): FakeCheckRun[] => h.fake.state.checkRuns(OWNER, NAME, pr.sha).filter((r) => r.name === name && r.appId === h.fake.appId);
  const jobCounts = async () => Promise.all(["kirare", "ortensia"].map(async (p) => (await planJobs(h.dataDir, p)).filter((j) => j.state === "succeeded").length));
  const rerun = (checkRunId: number, sender: string) => h.deliver("check_run", examplePayload("check_run", "rerequested", checkRunAdaptation(h.fake.state, checkRunId, sender)));

  it("shows each project's plan and the aggregate as check runs, concluded like the statuses", async () => {
    pr = await h.openPullRequest("checks", { "projects/kirare/bastion.tf": UNTAGGED, "projects/ortensia/extra.tf": LEDGER });
    const runs = await h.waitFor("checks completed", () => {
      const r = h.checkRuns(pr.sha);
      // The aggregates are written last, plan then apply.
      return r["tfgate/plan"]?.status === "completed" && r["tfgate/apply"] !== undefined && r;
    });
    expect(Object.keys(runs).sort()).toEqual(["tfgate/apply", "tfgate/plan", ...PROJECT_CHECKS]);
    expect(runs["tfgate/plan: kirare"]).toMatchObject({ conclusion: "failure", title: expect.stringMatching(/^\+\d+ ~0 −0 ±0; policy failed: 1 violation\(s\)$/) });
    expect(runs["tfgate/plan: kirare"]?.summary).toContain("hcloud_placement_group.bastion");
    expect(runs["tfgate/plan: ortensia"]).toMatchObject({ conclusion: "success", title: expect.stringMatching(/^\+\d+ ~0 −0 ±0$/) });
    expect(runs["tfgate/plan: ortensia"]?.summary).toContain("terraform_data.extra");
    expect(runs["tfgate/plan"]).toMatchObject({ conclusion: "failure", title: "1 of 2 project(s) need attention" });
    // Same verdicts as the statuses, which are on too.
    expect(h.statuses(pr.sha)).toMatchObject({ "tfgate/plan": "failure", "tfgate/plan: kirare": "failure", "tfgate/plan: ortensia": "success" });
    for (const name of Object.keys(runs)) expect(runsNamed(name)).toHaveLength(1);
  });

  it("annotates the file and line the policy finding points at", () => {
    const kirare = h.checkRuns(pr.sha)["tfgate/plan: kirare"];
    expect(kirare?.annotations).toEqual([
      expect.objectContaining({ path: "projects/kirare/bastion.tf", startLine: 2, endLine: 2, level: "failure", title: expect.stringContaining("hcloud_placement_group.bastion") }),
    ]);
    expect(h.checkRuns(pr.sha)["tfgate/plan: ortensia"]?.annotations).toEqual([]);
  });

  it("Re-run on a project's plan check plans that project again, and only it", async () => {
    const before = await jobCounts();
    const kirare = h.checkRuns(pr.sha)["tfgate/plan: kirare"] as FakeCheckRun;
    await rerun(kirare.id, "alice");
    const after = await waitForCounts(() => jobCounts(), (c) => (c[0] ?? 0) > (before[0] ?? 0));
    expect(after).toEqual([(before[0] ?? 0) + 1, before[1]]);
    await h.waitFor("checks settled", () => h.checkRuns(pr.sha)["tfgate/plan: kirare"]?.status === "completed");
    // The same finding is not annotated twice, and no duplicate check appeared.
    expect(h.checkRuns(pr.sha)["tfgate/plan: kirare"]?.annotations).toHaveLength(1);
    expect(runsNamed("tfgate/plan: ortensia")).toHaveLength(1);
  });

  it("Re-run of the check suite plans every affected project again", async () => {
    const before = await jobCounts();
    await h.deliver("check_suite", examplePayload("check_suite", "rerequested", checkSuiteAdaptation(h.fake.state, OWNER, NAME, pr.sha, h.fake.appId, "bob")));
    const after = await waitForCounts(() => jobCounts(), (c) => c.every((n, i) => n > (before[i] ?? 0)));
    expect(after).toEqual(before.map((n) => n + 1));
  });

  it("a foreign check run's re-run, and one by a reader, change nothing and are logged", async () => {
    const before = await jobCounts();
    const comments = h.comments(pr.number).length;
    // Another app's check run, named like tfgate's: its id is not one tfgate recorded.
    const foreign = h.fake.state.addCheckRun({ owner: OWNER, repo: NAME, headSha: pr.sha, name: "tfgate/plan: kirare", appId: 4242, status: "completed", conclusion: "success" });
    await rerun(foreign.id, "alice");
    await h.waitFor("foreign re-run logged", () => h.logs.some((l) => l.includes("check run re-run ignored") && l.includes(`is not one tfgate created`)));
    // The newest: a completed check that ran again may have been replaced by a new check run.
    const ours = runsNamed("tfgate/plan: ortensia").at(-1) as FakeCheckRun;
    await rerun(ours.id, "rita");
    await h.waitFor("reader's re-run logged", () => h.logs.some((l) => l.includes("check run re-run ignored") && l.includes("@rita has read access")));
    expect(await jobCounts()).toEqual(before);
    expect(h.comments(pr.number)).toHaveLength(comments);
    expect(h.fake.state.checkRun(foreign.id)).toMatchObject({ conclusion: "success", writes: 1 });
  });

  it("after a restart, publishing again updates the same check runs instead of adding new ones", async () => {
    const shown = (name: string) => runsNamed(name).map((r) => r.id);
    const ortensia = shown("tfgate/plan: ortensia");
    const aggregate = shown("tfgate/plan");
    await h.stop();
    await h.start();
    const before = await jobCounts();
    await h.comment(pr.number, "alice", "/plan kirare");
    await waitForCounts(() => jobCounts(), (c) => (c[0] ?? 0) > (before[0] ?? 0));
    await h.waitFor("checks settled", () => h.checkRuns(pr.sha)["tfgate/plan"]?.status === "completed" && h.checkRuns(pr.sha)["tfgate/plan: kirare"]?.status === "completed");
    expect(shown("tfgate/plan: ortensia")).toEqual(ortensia);
    expect(shown("tfgate/plan")).toEqual(aggregate);
    expect(h.checkRuns(pr.sha)["tfgate/plan: kirare"]?.annotations).toHaveLength(1);
  });

  /** Polls an async count until `done` holds (the harness's waitFor is synchronous). */
  async function waitForCounts(read: () => Promise<number[]>, done: (c: number[]) => boolean): Promise<number[]> {
    const until = Date.now() + 120_000;
    for (;;) {
      const counts = await read();
      if (done(counts)) return counts;
      if (Date.now() > until) throw new Error(`timed out at ${JSON.stringify(counts)}\n${h.logs.slice(-30).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

describe("TFGATE_RESULTS=statuses: an App without checks: write", () => {
  const h = useHarness({ env: { TFGATE_RESULTS: "statuses" } });

  it("sets statuses and creates no check run", async () => {
    const pr = await h.openPullRequest("statuses-only", { "projects/ortensia/extra.tf": LEDGER });
    await h.waitFor("planned", () => h.statuses(pr.sha)["tfgate/plan"] === "success");
    expect(h.statuses(pr.sha)["tfgate/plan: ortensia"]).toBe("success");
    expect(h.fake.state.checkRuns(OWNER, NAME, pr.sha)).toEqual([]);
    expect(h.fake.requests.filter((r) => r.operationId?.startsWith("checks/"))).toEqual([]);
  });
});
