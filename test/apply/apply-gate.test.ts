import { describe, expect, it } from "vitest";
import { evaluateApplyGate, type GateInput, type GateReview } from "../../src/domain/apply/apply-gate.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
const review = (reviewer: string, state: GateReview["state"], commitId = HEAD, at = "2026-11-22T10:00:00Z"): GateReview => ({ reviewer, state, commitId, submittedAt: at });

/** A PR that passes every requirement: each test breaks one thing. */
const ready: GateInput = {
  approverTeams: ["acme/sre"],
  commenter: { login: "alice", canWrite: true, inApproverTeam: false },
  pr: { number: 7, author: "alice", headSha: HEAD, state: "open", draft: false, mergeable: true },
  reviews: [review("sam", "APPROVED")],
  approverMembers: new Set(["sam", "sol"]),
  targets: [{ project: "kirare", plan: { headSha: HEAD, outcome: "changes", policy: "passed" }, lockHolder: 7 }],
};

const messages = (input: GateInput) => {
  const d = evaluateApplyGate(input);
  return d.status === "allowed" ? [] : d.unmet.map((u) => `${u.code}: ${u.message}`);
};

describe("evaluateApplyGate", () => {
  it("allows a PR approved on its head commit by an SRE who is not the author", () => {
    expect(evaluateApplyGate(ready)).toEqual({ status: "allowed", approvedBy: "sam", targets: ["kirare"] });
  });

  it("a later comment does not withdraw an approval", () => {
    expect(evaluateApplyGate({ ...ready, reviews: [review("sam", "APPROVED"), review("sam", "COMMENTED", HEAD, "2026-11-22T11:00:00Z")] }).status).toBe("allowed");
  });

  it.each<[string, Partial<GateInput>, string[]]>([
    ["no approver team configured", { approverTeams: [] }, ["apply-disabled: apply is disabled: no approver team is configured (set TFGATE_APPROVER_TEAMS on the server or `apply.approver_teams` in tfgate.yaml on the base branch)"]],
    ["no approval", { reviews: [] }, ["approval: needs an approving review of the head commit aaaaaaa by a member of acme/sre other than the author"]],
    [
      "an approval from someone outside the SRE team",
      { reviews: [review("bob", "APPROVED")] },
      ["approval: needs an approving review of the head commit aaaaaaa by a member of acme/sre other than the author (@bob is not a current member of acme/sre)"],
    ],
    [
      "an SRE approval of an older commit, then a push",
      { reviews: [review("sam", "APPROVED", OLD)] },
      ["approval: needs an approving review of the head commit aaaaaaa by a member of acme/sre other than the author (@sam approved bbbbbbb, not the head aaaaaaa)"],
    ],
    [
      "a self-approval by an SRE author",
      { pr: { ...ready.pr, author: "sam" }, reviews: [review("sam", "APPROVED")] },
      ["approval: needs an approving review of the head commit aaaaaaa by a member of acme/sre other than the author (@sam is the author and cannot approve their own change)"],
    ],
    [
      "an SRE approval followed by changes requested",
      { reviews: [review("sam", "APPROVED"), review("sam", "CHANGES_REQUESTED", HEAD, "2026-11-22T11:00:00Z")] },
      ["approval: needs an approving review of the head commit aaaaaaa by a member of acme/sre other than the author (@sam requested changes)"],
    ],
    [
      "an approval that was dismissed",
      { reviews: [review("sam", "APPROVED"), review("sam", "DISMISSED", HEAD, "2026-11-22T11:00:00Z")] },
      ["approval: needs an approving review of the head commit aaaaaaa by a member of acme/sre other than the author (@sam's review was dismissed)"],
    ],
    [
      "approved, with a failed policy",
      { targets: [{ project: "kirare", plan: { headSha: HEAD, outcome: "changes", policy: "failed" }, lockHolder: 7 }] },
      ["policy: `kirare`'s policy check failed: fix the findings in the summary and push"],
    ],
    [
      "the lock held by another PR",
      { targets: [{ project: "kirare", plan: { headSha: HEAD, outcome: "changes", policy: "passed" }, lockHolder: 3 }] },
      ["lock: `kirare` is locked by #3: it must be merged, closed or `/unlock`ed there first"],
    ],
    ["a commenter without write access", { commenter: { login: "rita", canWrite: false, inApproverTeam: false } }, ["commenter: @rita needs write access to the repository, or membership of acme/sre"]],
    ["a draft PR", { pr: { ...ready.pr, draft: true } }, ["pr-state: the pull request is a draft: mark it ready for review"]],
    ["a merge conflict", { pr: { ...ready.pr, mergeable: false } }, ["pr-state: the pull request has a merge conflict: update it from its base branch"]],
    [
      "a plan of an older commit",
      { targets: [{ project: "kirare", plan: { headSha: OLD, outcome: "changes", policy: "passed" }, lockHolder: 7 }] },
      ["plan: `kirare` was planned for bbbbbbb, not the head aaaaaaa: comment `/plan kirare`"],
    ],
  ])("refuses %s, saying what would satisfy it", (_name, change, expected) => {
    expect(messages({ ...ready, ...change })).toEqual(expected);
  });

  it("lists every unmet requirement at once", () => {
    const codes = evaluateApplyGate({
      ...ready,
      commenter: { login: "rita", canWrite: false, inApproverTeam: false },
      reviews: [],
      pr: { ...ready.pr, draft: true },
      targets: [{ project: "kirare", plan: null, lockHolder: null }],
    });
    expect(codes.status === "denied" && codes.unmet.map((u) => u.code)).toEqual(["commenter", "approval", "pr-state", "plan", "lock"]);
  });

  it("an SRE member without write access may still command /apply", () => {
    expect(evaluateApplyGate({ ...ready, commenter: { login: "sol", canWrite: false, inApproverTeam: true } }).status).toBe("allowed");
  });
});
