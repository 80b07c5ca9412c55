import { describe, expect, it } from "vitest";
import { planJobs } from "./plan-jobs.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** A project that applies offline (terraform_data needs no API). */
const LEDGER = (v: string) => `resource "terraform_data" "entry" {\n  input = "${v}"\n}\n`;
const SLOW = `resource "terraform_data" "x" {\n  count = 20000\n  input = count.index\n}\n`;

/**
 * kill -9 at the worst moments, then a restart: the summary and the statuses converge to what the
 * store recorded (the PR state is persisted; a restart re-publishes what the host had not seen).
 */
describe("GitHub App: PR state survives kill -9 (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const count = (text: string) => h.logs.join("\n").split(text).length - 1;

  it("killed after an apply succeeded but before its summary and statuses: the restart shows it applied, and applies nothing again", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
    const { number: pr, sha } = await h.openPullRequest("ledger-crash", { "projects/ledger/main.tf": LEDGER("one") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.approve(pr);
    await h.waitFor("ready to apply", () => /ready to apply/.test(h.summary(pr)));
    // The summary edit after the apply meets a long secondary rate limit: the server waits in it.
    h.fake.faults.failNext("issues/update-comment", 1, { kind: "secondary-rate-limit", retryAfterSeconds: 600 });
    await h.comment(pr, "alice", "/apply");
    await h.waitFor("apply finished", () => count('"apply finished"') === 1, 120_000);
    await h.waitFor("summary edit refused", () => Object.keys(h.fake.faults.pending()).length === 0, 60_000);
    expect(h.statuses(sha)["tfgate/apply: ledger"]).toBe("pending");
    expect(h.summary(pr)).not.toContain("✅ applied");
    await h.stop("SIGKILL");
    h.fake.faults.clear();
    await h.start();
    await h.waitFor("apply status", () => h.statuses(sha)["tfgate/apply: ledger"] === "success", 60_000);
    await h.waitFor("apply aggregate", () => h.statuses(sha)["tfgate/apply"] === "success");
    await h.waitFor("summary shows applied", () => h.summary(pr).includes("applied"));
    expect(h.statuses(sha)["tfgate/plan: ledger"]).toBe("success");
    await h.waitFor("recovery logged", () => count("re-published pull request summaries") > 0);
    // The /apply's delivery was still being handled (its summary edit) when killed: the restart
    // handles it again, and the apply it already recorded is not run twice.
    await h.waitFor("the /apply delivery resumed", () => count("handling a delivery the previous stop left unfinished") === 1);
    await h.waitFor("resumed /apply answered", () => h.comments(pr).some((c) => /already applied; nothing more was applied/.test(c.body)));
    expect(count('"apply finished"')).toBe(1);
  });

  it("killed mid-plan: the restart reports the plan interrupted, plans the pull request again by itself, and every status agrees", async () => {
    const resumedBefore = count("handling a delivery the previous stop left unfinished");
    const { number: pr, sha } = await h.openPullRequest("slow-crash", { "projects/slow/main.tf": SLOW });
    await h.waitFor("planning", () => h.summary(pr).includes("🔄 planning"), 60_000);
    await h.stop("SIGKILL");
    await h.start();
    // The delivery was accepted and never finished: the restart handles it again.
    await h.waitFor("re-planned", () => h.statuses(sha)["tfgate/plan: slow"] === "success", 240_000);
    await h.waitFor("aggregate", () => h.statuses(sha)["tfgate/plan"] === "success");
    expect(count("handling a delivery the previous stop left unfinished")).toBe(resumedBefore + 1);
    expect(h.summary(pr)).not.toContain("🔄 planning");
    expect(h.comments(pr).filter((c) => c.body.includes("<!-- tfgate:summary v1 -->"))).toHaveLength(1);
    const jobs = await planJobs(h.dataDir, "slow");
    expect(jobs.map((j) => j.state).sort()).toEqual(["interrupted", "succeeded"]);
    // A third start finds nothing stale and nothing pending: nothing is published or handled again.
    await h.waitFor("recovery done", () => count("re-published pull request summaries") > 0);
    const before = count("re-publishing a pull request's summary");
    await h.stop("SIGTERM");
    await h.start();
    await new Promise((r) => setTimeout(r, 2000));
    expect(count("re-publishing a pull request's summary")).toBe(before);
    expect(count("handling a delivery the previous stop left unfinished")).toBe(resumedBefore + 1);
  });

  it("killed mid-apply while the summary was still on its way: the restart never shows the plan as ready or passing", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
    const slow = `resource "terraform_data" "slow" {\n  input = "four"\n  provisioner "local-exec" {\n    command = "sleep 20"\n  }\n}\n`;
    const { number: pr, sha } = await h.openPullRequest("vault-apply-crash", { "projects/vault/main.tf": slow });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    // The summary edit the approval causes meets a long secondary rate limit: still unpublished when killed.
    h.fake.faults.failNext("issues/update-comment", 1, { kind: "secondary-rate-limit", retryAfterSeconds: 600 });
    await h.approve(pr);
    await h.comment(pr, "alice", "/apply");
    await h.waitFor("applying", () => h.statuses(sha)["tfgate/apply: vault"] === "pending", 60_000);
    await h.waitFor("summary edit refused", () => Object.keys(h.fake.faults.pending()).length === 0, 60_000);
    await h.stop("SIGKILL");
    h.fake.faults.clear();
    const before = count("re-published pull request summaries");
    await h.start();
    await h.waitFor("recovery logged", () => count("re-published pull request summaries") > before, 60_000);
    await h.waitFor("summary shows the interrupted apply", () => h.summary(pr).includes("apply interrupted by a restart"), 60_000);
    expect(h.summary(pr)).not.toContain("ready to apply");
    expect([h.statuses(sha)["tfgate/plan: vault"], h.statuses(sha)["tfgate/apply"]]).toEqual(["error", "failure"]);
    expect(["error", "failure"]).toContain(h.statuses(sha)["tfgate/plan"]);
  });
});
