import { describe, expect, it } from "vitest";
import { examplePayload } from "../../src/simulator/index.js";
import { pullRequestAdaptation } from "../../src/simulator/payload-from-state.js";
import { openTestStore } from "../helpers/open-test-store.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** A project that applies offline (terraform_data needs no API). */
const project = (input: string) => `resource "terraform_data" "entry" {\n  input = "${input}"\n}\n`;

/**
 * The life of a change after review (issue #17): a PR merged without `/apply`, or closed unmerged
 * after an apply, leaves the branch and the infrastructure disagreeing, and says so once. Real
 * server, fake GitHub, real tofu; each scenario has its own projects, so no lock is shared.
 */
describe("GitHub App: a closed pull request whose branch and infrastructure disagree", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const warnings = (pr: number) => h.comments(pr).filter((c) => c.body.startsWith("⚠️ **Merged without") || c.body.startsWith("⚠️ **Closed without merging"));
  let deliveries = 0;

  async function fromStore<T>(read: (store: ReturnType<typeof openTestStore>) => Promise<T>): Promise<T> {
    const store = openTestStore(h.dataDir);
    try {
      return await read(store);
    } finally {
      store.close();
    }
  }

  const audit = (pr: number) => fromStore(async (s) => (await s.audit.list({ pr })).filter((a) => a.action !== "apply").map((a) => ({ action: a.action, actor: a.actor, detail: a.detail })));

  /**
   * Delivers `closed` (the same event again when `again`: a new update time, so the webhook's
   * de-duplication lets it through as GitHub's redelivery of a changed PR would) and waits until
   * the server has finished handling it.
   */
  async function closed(pr: number, merged: boolean, again = false): Promise<void> {
    if (!again) {
      if (merged) h.fake.state.mergePullRequest(OWNER, NAME, pr, "alice");
      else h.fake.state.closePullRequest(OWNER, NAME, pr);
    }
    const adaptation = pullRequestAdaptation(h.fake.state, OWNER, NAME, pr);
    const updatedAt = new Date((adaptation.pullRequest?.updatedAt?.getTime() ?? Date.now()) + (again ? 60_000 : 0));
    const id = `closed-${pr}-${++deliveries}`;
    const payload = examplePayload("pull_request", "closed", { ...adaptation, ...(adaptation.pullRequest ? { pullRequest: { ...adaptation.pullRequest, updatedAt } } : {}) });
    expect((await h.deliver("pull_request", payload, id)).status).toBe(202);
    const until = Date.now() + 60_000;
    while ((await fromStore((s) => s.deliveries.unfinished())).some((d) => d.id === id)) {
      if (Date.now() > until) throw new Error(`closed event ${id} not handled\n${h.logs.slice(-30).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function applied(pr: number, projects: string): Promise<void> {
    await h.approve(pr);
    await h.waitFor("ready to apply", () => h.summary(pr).includes("ready to apply"));
    await h.comment(pr, "alice", `/apply ${projects}`);
    for (const p of projects.split(" ")) await h.waitFor(`${p} applied`, () => h.comments(pr).some((c) => c.body.includes(`✅ \`${p}\` applied`)));
  }

  it("setup: sam is in acme/sre", () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
  });

  it("merged without /apply: one warning naming the project, tfgate/apply failing, an audit entry; a redelivery adds nothing", async () => {
    const { number, sha } = await h.openPullRequest("m-unapplied", { "projects/ledger/main.tf": project("ledger") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.waitFor("tfgate/apply pending", () => h.statuses(sha)["tfgate/apply"] === "pending");

    await closed(number, true);
    const [warning, ...more] = warnings(number);
    expect(more).toEqual([]);
    expect(warning?.body).toContain("⚠️ **Merged without `/apply`**: this pull request was merged into `main`, but the plan with changes of these projects was never applied:\n\n- `ledger`\n");
    expect(warning?.body).toContain("**revert** this pull request");
    expect(h.statuses(sha)["tfgate/apply"]).toBe("failure");
    expect(h.fake.state.latestStatuses(OWNER, NAME, sha).find((s) => s.context === "tfgate/apply")?.description).toBe("merged with 1 project(s) not applied: apply from a new PR, or revert");
    expect(h.checkRuns(sha)["tfgate/apply"]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(await audit(number)).toEqual([{ action: "merged-unapplied", actor: "tfgate", detail: { projects: ["ledger"] } }]);

    await closed(number, true, true);
    expect(warnings(number)).toHaveLength(1);
    expect(await audit(number)).toHaveLength(1);
    expect(h.statuses(sha)["tfgate/apply"]).toBe("failure");
  });

  it("merged after everything was applied: no warning, tfgate/apply stays success, no audit entry", async () => {
    const { number, sha } = await h.openPullRequest("m-applied", { "projects/vault/main.tf": project("vault") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await applied(number, "vault");
    await h.waitFor("tfgate/apply success", () => h.statuses(sha)["tfgate/apply"] === "success");

    await closed(number, true);
    expect(warnings(number)).toEqual([]);
    expect(h.statuses(sha)["tfgate/apply"]).toBe("success");
    expect(await audit(number)).toEqual([]);
  });

  it("closed unmerged after applying one of two projects: one warning naming that one, an audit entry; a redelivery adds nothing", async () => {
    const { number, sha } = await h.openPullRequest("c-partial", { "projects/left/main.tf": project("left"), "projects/right/main.tf": project("right") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await applied(number, "left");

    await closed(number, false);
    const [warning, ...more] = warnings(number);
    expect(more).toEqual([]);
    expect(warning?.body).toContain("⚠️ **Closed without merging after an apply**: tfgate applied this pull request's plan of these projects:\n\n- `left`\n\nThe infrastructure now runs code that `main` does not have");
    expect(warning?.body).not.toContain("`right`");
    expect(await audit(number)).toEqual([{ action: "closed-after-apply", actor: "tfgate", detail: { projects: ["left"] } }]);
    // Closed, not merged: `tfgate/apply` is not turned into a failure.
    expect(h.statuses(sha)["tfgate/apply"]).toBe("pending");

    await closed(number, false, true);
    expect(warnings(number)).toHaveLength(1);
    expect(await audit(number)).toHaveLength(1);
  });

  it("a closed event handled again after a restart posts nothing twice", async () => {
    const { number, sha } = await h.openPullRequest("m-restart", { "projects/ember/main.tf": project("ember") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await closed(number, true);
    expect(warnings(number)).toHaveLength(1);
    await h.stop();
    await h.start();
    await closed(number, true, true);
    expect(warnings(number)).toHaveLength(1);
    expect(await audit(number)).toHaveLength(1);
  });
});
