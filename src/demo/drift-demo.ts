/**
 * The demo's second half: the life of a change after review. A pull request merged without
 * `/apply` is flagged and its project drift-checked at once (a drift issue opens); a change applied from a branch that
 * is then closed unmerged makes the infrastructure drift from main, which opens a drift issue;
 * merging the change after all and `/plan` on the issue finds it in sync and closes the issue.
 */
import { examplePayload, type createFakeGitHub } from "../simulator/index.js";
import { commentAdaptation, pullRequestAdaptation } from "../simulator/payload-from-state.js";

type FakeGitHub = Awaited<ReturnType<typeof createFakeGitHub>>;

export interface DriftDemoContext {
  readonly fake: FakeGitHub;
  readonly owner: string;
  readonly name: string;
  /** git in the demo's repository (the simulated GitHub's clone source); returns stdout. */
  readonly git: (...args: string[]) => Promise<string>;
  readonly write: (path: string, text: string) => void;
  readonly deliver: (event: string, payload: unknown) => Promise<unknown>;
  readonly waitFor: (check: () => boolean, what: string) => Promise<void>;
  readonly out: (text: string) => void;
  /** The pull request whose `runbook` was applied and whose `kirare` was not. */
  readonly appliedPr: number;
  /** Opens a pull request of the current branch's head, plans it, and waits for the plan. */
  readonly openPr: (user: string, branch: string, title: string) => Promise<{ number: number; sha: string }>;
  /** alice comments on a pull request or issue; waits until tfgate's reply contains `until`. */
  readonly command: (issue: number, body: string, until: string) => Promise<void>;
}

export async function runDriftDemo(c: DriftDemoContext): Promise<void> {
  const { fake, owner, name, out } = c;
  const driftIssues = () => fake.state.issues(owner, name).filter((i) => i.labels.includes("tfgate:drift"));
  const issueOf = (project: string) => driftIssues().find((i) => i.body?.includes(`project=${project} `) || i.title.startsWith(`Drift: ${project} `));
  const closed = async (number: number, merged: boolean) => {
    if (merged) fake.state.mergePullRequest(owner, name, number, "sam");
    else fake.state.closePullRequest(owner, name, number);
    await c.deliver("pull_request", examplePayload("pull_request", "closed", pullRequestAdaptation(fake.state, owner, name, number)));
  };
  const warning = (pr: number) => fake.state.comments(owner, name, pr).find((x) => x.body.startsWith("⚠️"));

  out(`\n## 6. sam merges PR #${c.appliedPr} although kirare was never applied\n\n`);
  await c.git("switch", "-q", "main");
  await c.git("merge", "-q", "--no-ff", "-m", `Merge pull request #${c.appliedPr}`, "bastion");
  await closed(c.appliedPr, true);
  await c.waitFor(() => warning(c.appliedPr) !== undefined, "the merged-without-apply warning");
  out(`${warning(c.appliedPr)?.body ?? ""}\n\n`);
  out(`### kirare is drift-checked at once: main now describes a placement group nobody created\n\n`);
  await c.waitFor(() => issueOf("kirare") !== undefined, "kirare's drift issue");
  out(`  issue #${issueOf("kirare")?.number}: ${issueOf("kirare")?.title}\n`);

  out(`\n## 7. alice applies runbook's next rotation from a branch, then closes the PR unmerged\n\n`);
  await c.git("switch", "-q", "-c", "rotation-2");
  c.write("projects/runbook/main.tf", `resource "terraform_data" "on_call" {\n  input = "rotation-2"\n}\n`);
  await c.git("commit", "-qam", "runbook: rotation 2");
  const rotation = await c.openPr("alice", "rotation-2", "runbook: rotation 2");
  fake.state.addReview({ owner, repo: name, pullNumber: rotation.number, user: "sam", state: "APPROVED" });
  await c.command(rotation.number, "/apply", "applied (plan");
  await c.git("switch", "-q", "main");
  await closed(rotation.number, false);
  await c.waitFor(() => warning(rotation.number) !== undefined, "the closed-after-apply warning");
  out(`${warning(rotation.number)?.body ?? ""}\n\n`);
  await c.waitFor(() => issueOf("runbook") !== undefined, "runbook's drift issue");
  const issue = issueOf("runbook");
  out(`### The drift issue tfgate opens (label tfgate:drift), #${issue?.number}: ${issue?.title}\n\n${issue?.body ?? ""}\n\n`);

  out(`## 8. the team merges the rotation after all; alice comments /plan on the drift issue\n\n`);
  await c.git("merge", "-q", "--no-ff", "-m", `Merge pull request #${rotation.number}`, "rotation-2");
  const number = issue?.number ?? 0;
  await c.command(number, "/plan", "in sync");
  await c.waitFor(() => fake.state.issue(owner, name, number)?.state === "closed", "the drift issue to close");
  out(`  issue #${number} is ${fake.state.issue(owner, name, number)?.state}; open drift issues: ${driftIssues().filter((i) => i.state === "open").map((i) => `#${i.number} ${i.title}`).join(", ") || "none"}\n`);
}

/** Delivers alice's comment on a pull request or a plain issue (the payload differs: see commentAdaptation). */
export async function deliverComment(fake: FakeGitHub, deliver: DriftDemoContext["deliver"], o: { owner: string; name: string; issue: number; user: string; body: string }): Promise<void> {
  const made = fake.state.addComment({ owner: o.owner, repo: o.name, issueNumber: o.issue, user: o.user, body: o.body });
  await deliver("issue_comment", examplePayload("issue_comment", "created", commentAdaptation(fake.state, made.id)));
}
