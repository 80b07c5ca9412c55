import { appendFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openTestStore } from "../helpers/open-test-store.js";
import { examplePayload } from "../../src/simulator/index.js";
import { commentAdaptation } from "../../src/simulator/payload-from-state.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** A project that applies offline (terraform_data needs no API). */
const LEDGER = (v: string) => `resource "terraform_data" "entry" {\n  input = "${v}"\n}\n`;

describe("GitHub App: /apply behind the SRE gate (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const statuses = (sha: string) => h.statuses(sha);
  const replies = (n: number) => h.comments(n).filter((c) => c.body.startsWith("@alice"));
  const reply = (n: number, text: string) => h.waitFor(`a reply containing "${text}"`, () => replies(n).find((c) => c.body.includes(text)));
  const reasons = (body: string) => body.split("\n").filter((l) => l.startsWith("- ")).map((l) => l.slice(2));
  const planFiles = () => readdirSync(join(h.dataDir, "plans"), { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith("ledger.tfplan"));
  let pr = 0;
  let sha = "";

  it("refuses /apply without an SRE approval of the head commit, listing what is missing", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
    const opened = await h.openPullRequest("ledger", { "projects/ledger/main.tf": LEDGER("one") });
    pr = opened.number;
    sha = opened.sha;
    await h.waitFor("planned", () => statuses(sha)["tfgate/plan"] === "success");
    // The summary's self-check says where the project stands.
    await h.waitFor("gate state", () => h.summary(pr).includes("waiting for SRE approval"));
    await h.comment(pr, "alice", "/apply");
    const refusal = await reply(pr, "refused");
    const needed = `needs an approving review of the head commit ${sha.slice(0, 7)} by a member of acme/sre other than the author`;
    expect(reasons(refusal.body)).toEqual([needed]);
    h.fake.state.addReview({ owner: OWNER, repo: NAME, pullNumber: pr, user: "bob", state: "APPROVED" });
    await h.comment(pr, "alice", "/apply ledger");
    await h.waitFor("second refusal", () => replies(pr).filter((c) => c.body.includes("refused")).length === 2);
    expect(reasons(replies(pr).at(-1)?.body ?? "")).toEqual([`${needed} (@bob is not a current member of acme/sre)`]);
    expect(planFiles()).toHaveLength(1);
  });

  it("applies exactly the saved plan once an SRE approved the head; the next plan shows no changes", async () => {
    await h.approve(pr);
    // Table cells are escaped (parentheses, and @ defused with a zero-width space): match loosely.
    await h.waitFor("ready to apply", () => /ready to apply \\?\(approved by @\u200bsam\\?\)/.test(h.summary(pr)));
    await h.comment(pr, "alice", "/apply");
    const done = await reply(pr, "✅ `ledger` applied");
    expect(done.body).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    await h.waitFor("apply status", () => statuses(sha)["tfgate/apply: ledger"] === "success");
    expect(planFiles().filter((p) => existsSync(join(h.dataDir, "plans", p)))).toEqual([]);
    await h.waitFor("summary shows applied", () => h.summary(pr).includes("applied"));
    await h.comment(pr, "alice", "/plan ledger");
    await h.waitFor("replanned: no changes", () => h.summary(pr).includes("✅ no changes"));
  });

  it("20 simultaneous /apply comments start exactly one apply", async () => {
    sha = await h.push(pr, "ledger", { "projects/ledger/main.tf": LEDGER("two") });
    await h.waitFor("replanned", () => statuses(sha)["tfgate/plan"] === "success");
    await h.approve(pr);
    const before = replies(pr).length;
    const ids = Array.from({ length: 20 }, () => h.fake.state.addComment({ owner: OWNER, repo: NAME, issueNumber: pr, user: "alice", body: "/apply" }).id);
    await Promise.all(ids.map((id) => h.deliver("issue_comment", examplePayload("issue_comment", "created", commentAdaptation(h.fake.state, id)))));
    await h.waitFor("20 answers", () => replies(pr).length >= before + 20, 120_000);
    const answers = replies(pr).slice(before).map((c) => c.body);
    expect(answers.filter((b) => b.includes("✅ `ledger` applied"))).toHaveLength(1);
    expect(answers.filter((b) => /is already being applied|was already applied|no current plan|newer plan/.test(b) || b.includes("refused")).length).toBe(19);
  });

  it("refuses a saved plan whose file changed after review (sha256 mismatch)", async () => {
    sha = await h.push(pr, "ledger", { "projects/ledger/main.tf": LEDGER("three") });
    await h.waitFor("replanned", () => statuses(sha)["tfgate/plan"] === "success");
    await h.approve(pr);
    for (const p of planFiles()) if (p.includes(sha)) appendFileSync(join(h.dataDir, "plans", p), "tampered");
    await h.comment(pr, "alice", "/apply");
    const refusal = await reply(pr, "⛔ `ledger`");
    expect(refusal.body).toContain("the file changed after review, so nothing was applied");
  });

  it("after a crash mid-apply: reported as interrupted, statuses agree, the lock stays, earlier approvals no longer count", async () => {
    const slow = `resource "terraform_data" "slow" {\n  input = "four"\n  provisioner "local-exec" {\n    command = "sleep 20"\n  }\n}\n`;
    sha = await h.push(pr, "ledger", { "projects/ledger/main.tf": slow });
    await h.waitFor("replanned", () => statuses(sha)["tfgate/plan"] === "success");
    await h.approve(pr);
    await h.comment(pr, "alice", "/apply");
    await h.waitFor("applying", () => statuses(sha)["tfgate/apply: ledger"] === "pending");
    await new Promise((r) => setTimeout(r, 2000));
    await h.stop("SIGKILL");
    await h.start();
    const notice = await h.waitFor("interrupted notice", () => h.comments(pr).find((c) => c.body.includes("interrupted") && c.body.includes("apply of")));
    expect(notice.body).toContain("check the infrastructure and the state");
    expect(notice.body).toContain("Approvals submitted before this comment no longer count for `ledger`");
    // The project's statuses and the aggregates agree: a plan nobody may apply is not a success.
    await h.waitFor("statuses after the restart", () => ["error", "failure"].includes(statuses(sha)["tfgate/plan"] ?? "") && statuses(sha)["tfgate/apply"] === "failure");
    expect([statuses(sha)["tfgate/plan: ledger"], statuses(sha)["tfgate/apply: ledger"]]).toEqual(["error", "error"]);

    // sam's approval came before the interruption was reported: it no longer counts.
    const voided = /^an apply of `ledger` was interrupted \(reported [0-9T:.-]+Z\), so approvals submitted before then no longer count: check the infrastructure and the state, comment `\/plan ledger`, then ask a member of acme\/sre to approve again$/;
    const refusals = () => replies(pr).filter((c) => c.body.includes("refused")).length;
    let before = refusals();
    await h.comment(pr, "alice", "/apply");
    await h.waitFor("refused after the restart", () => refusals() > before);
    expect(reasons(replies(pr).at(-1)?.body ?? "")).toEqual([expect.stringMatching(voided)]);
    // The lock stays with the pull request (read through a second connection to the server's store).
    const store = openTestStore(h.dataDir);
    try {
      expect((await store.locks.list(`${OWNER}/${NAME}`)).find((l) => l.project === "ledger")?.pr).toBe(pr);
    } finally {
      store.close();
    }

    // A re-plan alone is not enough: the summary says why, and so does /apply.
    await h.comment(pr, "alice", "/plan ledger");
    await h.waitFor("replanned after the restart", () => statuses(sha)["tfgate/plan"] === "success", 120_000);
    expect(h.summary(pr)).toContain("an apply was interrupted: approvals before it no longer count");
    before = refusals();
    await h.comment(pr, "alice", "/apply");
    await h.waitFor("refused after the re-plan", () => refusals() > before);
    expect(reasons(replies(pr).at(-1)?.body ?? "")).toEqual([expect.stringMatching(voided)]);

    // A new approval, after the report and the re-plan, counts.
    await h.approve(pr);
    const count = replies(pr).length;
    await h.comment(pr, "alice", "/apply");
    const answer = await h.waitFor("an answer to /apply", () => replies(pr)[count]);
    expect(answer.body).not.toContain("refused");
  });
});
