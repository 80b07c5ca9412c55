import { describe, expect, it } from "vitest";
import { evaluateApplyGate, type GateInput, type GateTarget } from "../../src/domain/apply/apply-gate.js";
import type { GateReview } from "../../src/domain/apply/approval-rules.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
const HASH_A = "a1".repeat(32);
const HASH_B = "b2".repeat(32);
const at = (iso: string) => Date.parse(iso);
const review = (reviewer: string, state: GateReview["state"], commitId = HEAD, when = "2026-11-22T10:00:00Z"): GateReview => ({ reviewer, state, commitId, submittedAt: when });

/** The current plan (hash A) was posted at 09:00, before the approval at 10:00. */
const target: GateTarget = {
  project: "kirare",
  plan: { headSha: HEAD, outcome: "changes", policy: "passed", contentHash: HASH_A, postedAt: at("2026-11-22T09:00:00Z") },
  history: [{ contentHash: HASH_A, postedAt: at("2026-11-22T09:00:00Z") }],
  approvalsVoidUntil: null,
  lockHolder: 7,
};

/** A PR that passes every requirement: each test breaks one thing. */
const ready: GateInput = {
  approverTeams: ["acme/sre"],
  commenter: { login: "alice", canWrite: true, inApproverTeam: false },
  pr: { number: 7, author: "alice", headSha: HEAD, state: "open", draft: false, mergeable: true },
  base: { ref: "main", protected: true, defaultBranch: "main" },
  reviews: [review("sam", "APPROVED")],
  approverMembers: new Set(["sam", "sol"]),
  targets: [target],
};

const messages = (input: GateInput) => {
  const d = evaluateApplyGate(input);
  return d.status === "allowed" ? [] : d.unmet.map((u) => `${u.code}: ${u.message}`);
};

/** The approved plan (posted 09:00, hash A), then a re-plan with `current` posted at `postedAt`. */
const replanned = (current: { contentHash: string | null; postedAt: number | null }, earlierHash: string | null = HASH_A): Partial<GateInput> => ({
  targets: [
    {
      ...target,
      plan: { ...(target.plan as NonNullable<GateTarget["plan"]>), ...current },
      history: [{ contentHash: earlierHash, postedAt: at("2026-11-22T09:00:00Z") }, current],
    },
  ],
});
const withPlan = (plan: Partial<NonNullable<GateTarget["plan"]>>, rest: Partial<GateTarget> = {}): Partial<GateInput> => ({
  targets: [{ ...target, plan: { ...(target.plan as NonNullable<GateTarget["plan"]>), ...plan }, ...rest }],
});

describe("evaluateApplyGate", () => {
  it("allows a PR approved on its head commit, after its plan was posted, by an SRE who is not the author", () => {
    expect(evaluateApplyGate(ready)).toEqual({ status: "allowed", approvals: { kirare: "sam" }, targets: ["kirare"] });
  });

  it("a later comment does not withdraw an approval", () => {
    expect(evaluateApplyGate({ ...ready, reviews: [review("sam", "APPROVED"), review("sam", "COMMENTED", HEAD, "2026-11-22T11:00:00Z")] }).status).toBe("allowed");
  });

  it.each<[string, Partial<GateInput>, string[]]>([
    ["no approver team configured", { approverTeams: [] }, ["apply-disabled: apply is disabled: no approver team is configured (set TFGATE_APPROVER_TEAMS on the server or `apply.approver_teams` in tfgate.yaml on the default branch)"]],
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
    ["approved, with a failed policy", withPlan({ policy: "failed" }), ["policy: `kirare`'s policy check failed: fix the findings in the summary and push"]],
    ["the lock held by another PR", { targets: [{ ...target, lockHolder: 3 }] }, ["lock: `kirare` is locked by #3: it must be merged, closed or `/unlock`ed there first"]],
    ["a commenter without write access", { commenter: { login: "rita", canWrite: false, inApproverTeam: false } }, ["commenter: @rita needs write access to the repository, or membership of acme/sre"]],
    ["a draft PR", { pr: { ...ready.pr, draft: true } }, ["pr-state: the pull request is a draft: mark it ready for review"]],
    ["a merge conflict", { pr: { ...ready.pr, mergeable: false } }, ["pr-state: the pull request has a merge conflict: update it from its base branch"]],
    ["a plan of an older commit", withPlan({ headSha: OLD }), ["plan: `kirare` was planned for bbbbbbb, not the head aaaaaaa: comment `/plan kirare`"]],
    [
      "a PR into a base that is not protected (its author may have written its tfgate.yaml)",
      { base: { ref: "mallory-rules", protected: false, defaultBranch: "main" } },
      ["base: the pull request goes into `mallory-rules`, which is not a protected base: tfgate never applies such a pull request (its author could have chosen that branch's rules); retarget it to `main`"],
    ],
  ])("refuses %s, saying what would satisfy it", (_name, change, expected) => {
    expect(messages({ ...ready, ...change })).toEqual(expected);
  });

  it("lists every unmet requirement at once", () => {
    const codes = evaluateApplyGate({
      ...ready,
      base: { ref: "feature", protected: false, defaultBranch: "main" },
      commenter: { login: "rita", canWrite: false, inApproverTeam: false },
      reviews: [],
      pr: { ...ready.pr, draft: true },
      targets: [{ ...target, plan: null, lockHolder: null }],
    });
    expect(codes.status === "denied" && codes.unmet.map((u) => u.code)).toEqual(["base", "commenter", "approval", "pr-state", "plan", "lock"]);
  });

  it("an SRE member without write access may still command /apply", () => {
    expect(evaluateApplyGate({ ...ready, commenter: { login: "sol", canWrite: false, inApproverTeam: true } }).status).toBe("allowed");
  });
});

describe("evaluateApplyGate: an approval covers a plan, not a commit", () => {
  const changed = "approval: `kirare`'s plan changed after @sam's approval (approved plan `a1a1a1a1a1a1`, now `b2b2b2b2b2b2`), so that approval no longer covers it: ask a member of acme/sre to approve again";
  const before = (hash: string) => `approval: @sam approved before \`kirare\`'s plan \`${hash}\` was posted, and an approval covers only a plan it followed: ask a member of acme/sre to approve again`;

  it.each<[string, Partial<GateInput>, string[]]>([
    ["approved after the plan was posted", {}, []],
    ["approved before the only plan was posted", withPlan({ postedAt: at("2026-11-22T10:30:00Z") }, { history: [{ contentHash: HASH_A, postedAt: at("2026-11-22T10:30:00Z") }] }), [before("a1a1a1a1a1a1")]],
    ["approved while the only plan was not yet posted", withPlan({ postedAt: null }, { history: [{ contentHash: HASH_A, postedAt: null }] }), [before("a1a1a1a1a1a1")]],
    // GitHub's times have whole seconds: a review stamped 10:00:00 may have come before a post at 10:00:00.400.
    ["approved in the same second as the post", withPlan({ postedAt: at("2026-11-22T10:00:00.400Z") }, { history: [{ contentHash: HASH_A, postedAt: at("2026-11-22T10:00:00.400Z") }] }), [before("a1a1a1a1a1a1")]],
    ["re-planned after the approval, identical content", replanned({ contentHash: HASH_A, postedAt: at("2026-11-22T10:05:00Z") }), []],
    ["re-planned after the approval, identical content, not yet posted", replanned({ contentHash: HASH_A, postedAt: null }), []],
    ["re-planned after the approval, different content", replanned({ contentHash: HASH_B, postedAt: at("2026-11-22T10:05:00Z") }), [changed]],
    ["re-planned after the approval, different content, not yet posted", replanned({ contentHash: HASH_B, postedAt: null }), [changed]],
    [
      "re-planned with content of unknown hash",
      replanned({ contentHash: null, postedAt: at("2026-11-22T10:05:00Z") }, null),
      ["approval: `kirare`'s plan changed after @sam's approval (approved plan `unknown`, now `unknown`), so that approval no longer covers it: ask a member of acme/sre to approve again"],
    ],
    [
      "an apply was interrupted after the approval",
      withPlan({}, { approvalsVoidUntil: at("2026-11-22T10:10:00Z") }),
      [
        "approval: an apply of `kirare` was interrupted (reported 2026-11-22T10:10:00.000Z), so approvals submitted before then no longer count: check the infrastructure and the state, comment `/plan kirare`, then ask a member of acme/sre to approve again",
      ],
    ],
    ["an apply was interrupted before the plan and the approval", withPlan({}, { approvalsVoidUntil: at("2026-11-22T08:00:00Z") }), []],
    ["a plan without changes needs no approval of its own", withPlan({ outcome: "no-changes", postedAt: at("2026-11-22T10:30:00Z") }, { history: [] }), []],
  ])("%s", (_name, change, expected) => {
    expect(messages({ ...ready, ...change })).toEqual(expected);
  });

  it("the followed plan is the newest one posted before the approval", () => {
    // A (09:00), B (09:30), approval (10:00), A again (10:05): the approval followed B, not A.
    const input: GateInput = {
      ...ready,
      targets: [
        {
          ...target,
          plan: { ...(target.plan as NonNullable<GateTarget["plan"]>), contentHash: HASH_A, postedAt: at("2026-11-22T10:05:00Z") },
          history: [
            { contentHash: HASH_A, postedAt: at("2026-11-22T09:00:00Z") },
            { contentHash: HASH_B, postedAt: at("2026-11-22T09:30:00Z") },
            { contentHash: HASH_A, postedAt: at("2026-11-22T10:05:00Z") },
          ],
        },
      ],
    };
    expect(messages(input)).toEqual([
      "approval: `kirare`'s plan changed after @sam's approval (approved plan `b2b2b2b2b2b2`, now `a1a1a1a1a1a1`), so that approval no longer covers it: ask a member of acme/sre to approve again",
    ]);
  });

  it("a newer approval after a different re-plan covers it; each project needs its own", () => {
    const second: GateTarget = { ...target, project: "edge", plan: { ...(target.plan as NonNullable<GateTarget["plan"]>), postedAt: at("2026-11-22T10:30:00Z") }, history: [{ contentHash: HASH_A, postedAt: at("2026-11-22T10:30:00Z") }] };
    const input: GateInput = { ...ready, targets: [target, second] };
    expect(messages(input)).toEqual([before("a1a1a1a1a1a1").replace("`kirare`", "`edge`")]);
    const again = { ...input, reviews: [...input.reviews, review("sol", "APPROVED", HEAD, "2026-11-22T10:31:00Z")] };
    expect(evaluateApplyGate(again)).toEqual({ status: "allowed", approvals: { kirare: "sol", edge: "sol" }, targets: ["kirare", "edge"] });
  });

  it("an approval after the interruption was reported, and after the re-plan, counts again", () => {
    const input: GateInput = {
      ...ready,
      reviews: [review("sam", "APPROVED"), review("sol", "APPROVED", HEAD, "2026-11-22T10:20:00Z")],
      targets: [{ ...target, approvalsVoidUntil: at("2026-11-22T10:10:00Z") }],
    };
    expect(evaluateApplyGate(input)).toEqual({ status: "allowed", approvals: { kirare: "sol" }, targets: ["kirare"] });
  });
});
