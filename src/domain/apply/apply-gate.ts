/**
 * The apply gate: may `/apply` run now? Default-deny. Every requirement is checked and every
 * unmet one is reported with what would satisfy it, so a refusal is a to-do list, not a riddle.
 * Pure: the caller gathers reviews, team membership, plans and locks at the moment of the command.
 */
import { compareText } from "../compare-text.js";
import type { CoverageTarget, ShownPlan } from "./approval-coverage.js";
import { checkApprovalRules, type GateReview } from "./approval-rules.js";
import { otherRequirements, type OtherChecks } from "./other-requirements.js";
import { APPROVER_TEAMS_SOURCE, type ProjectRequirements } from "./project-requirements.js";

export interface GateTarget {
  readonly project: string;
  /** The newest plan of this project for this PR, if any. */
  readonly plan:
    | (ShownPlan & {
        readonly headSha: string;
        readonly outcome: "changes" | "no-changes" | "error";
        readonly policy: "passed" | "failed" | "error" | null;
      })
    | null;
  /** Every saved plan of the project in this PR (the current one too): which one did an approval follow? */
  readonly history: readonly ShownPlan[];
  /** An interrupted apply of the project was reported then: earlier approvals no longer count. */
  readonly approvalsVoidUntil: number | null;
  /** The PR holding the project's lock, or null. */
  readonly lockHolder: number | null;
}

export interface GateInput {
  /** `org/team` slugs, from the server and the trusted configuration (never the PR head). */
  readonly approverTeams: readonly string[];
  readonly commenter: { readonly login: string; readonly canWrite: boolean; readonly inApproverTeam: boolean };
  readonly pr: {
    readonly number: number;
    readonly author: string;
    readonly headSha: string;
    readonly state: "open" | "closed";
    readonly draft: boolean;
    /** null while GitHub is still computing it. */
    readonly mergeable: boolean | null;
  };
  /**
   * The branch the PR goes into, and whether it is protected (the default branch, or one the
   * server lists): a PR into any other branch could have been given its author's own rules.
   */
  readonly base: { readonly ref: string; readonly protected: boolean; readonly defaultBranch: string };
  readonly reviews: readonly GateReview[];
  /** Reviewers who are current members of an approver team (asked of GitHub at command time). */
  readonly approverMembers: ReadonlySet<string>;
  /**
   * Per project (tfgate.yaml `apply.rules`, the server's floor); a project without an entry
   * needs one approval by a member of any of `approverTeams`.
   */
  readonly requirements?: ReadonlyMap<string, ProjectRequirements>;
  /** Reviewers (lowercase) who are current members of each team; needed with `requirements`. */
  readonly memberships?: ReadonlyMap<string, ReadonlySet<string>>;
  /** What `up_to_date_with_base` and `checks_passing` look at; asked only when a target requires them. */
  readonly others?: OtherChecks;
  readonly targets: readonly GateTarget[];
}

export type RequirementCode =
  | "apply-disabled"
  | "base"
  | "commenter"
  | "approval"
  | "plan"
  | "policy"
  | "lock"
  | "pr-state"
  | "up-to-date"
  | "checks"
  | "no-targets";

export interface Requirement {
  readonly code: RequirementCode;
  readonly project?: string;
  /** What is wrong and what would satisfy it. */
  readonly message: string;
}

export type GateDecision =
  /** `approvals`: who approved each target that has changes to apply (several: ", "-joined). */
  | { readonly status: "allowed"; readonly approvals: Readonly<Record<string, string>>; readonly targets: readonly string[] }
  | { readonly status: "denied"; readonly unmet: readonly Requirement[] };

const short = (sha: string) => sha.slice(0, 7);

/** Each reviewer's standing review: the latest one that approves, requests changes or is dismissed. */
function standingReviews(reviews: readonly GateReview[]): Map<string, GateReview> {
  const standing = new Map<string, GateReview>();
  const ordered = [...reviews].sort((a, b) => compareText(a.submittedAt, b.submittedAt));
  for (const r of ordered) {
    // A comment does not withdraw an approval, as on GitHub.
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    standing.set(r.reviewer.toLowerCase(), r);
  }
  return standing;
}

/**
 * Standing approvals of the head commit by a current approver-team member other than the author,
 * newest first; `why` says what is wrong with every other standing review.
 */
export function headApprovals(
  input: Pick<GateInput, "reviews" | "approverMembers" | "approverTeams"> & { readonly pr: Pick<GateInput["pr"], "author" | "headSha"> },
): { approvals: GateReview[]; why: string[] } {
  const { pr } = input;
  const members = new Set([...input.approverMembers].map((m) => m.toLowerCase()));
  const why: string[] = [];
  const approvals: GateReview[] = [];
  for (const review of standingReviews(input.reviews).values()) {
    const who = `@${review.reviewer}`;
    if (review.state === "CHANGES_REQUESTED") why.push(`${who} requested changes`);
    else if (review.state === "DISMISSED") why.push(`${who}'s review was dismissed`);
    else if (review.reviewer.toLowerCase() === pr.author.toLowerCase()) why.push(`${who} is the author and cannot approve their own change`);
    else if (!members.has(review.reviewer.toLowerCase())) why.push(`${who} is not a current member of ${input.approverTeams.join(" or ")}`);
    else if (review.commitId !== pr.headSha) why.push(`${who} approved ${short(review.commitId)}, not the head ${short(pr.headSha)}`);
    else approvals.push(review);
  }
  return { approvals: approvals.sort((a, b) => compareText(b.submittedAt, a.submittedAt)), why };
}

export function coverageTarget(t: GateTarget & { readonly plan: NonNullable<GateTarget["plan"]> }): CoverageTarget {
  return { project: t.project, current: t.plan, history: t.history, approvalsVoidUntil: t.approvalsVoidUntil };
}

/** Decides whether `/apply` may run for `targets`; lists every unmet requirement otherwise. */
export function evaluateApplyGate(input: GateInput): GateDecision {
  const { pr, base } = input;
  const teams = input.approverTeams.join(" or ");
  if (input.approverTeams.length === 0) {
    return {
      status: "denied",
      unmet: [{ code: "apply-disabled", message: "apply is disabled: no approver team is configured (set TFGATE_APPROVER_TEAMS on the server or `apply.approver_teams` in tfgate.yaml on the default branch)" }],
    };
  }
  const unmet: Requirement[] = [];
  if (!base.protected) {
    unmet.push({
      code: "base",
      message: `the pull request goes into \`${base.ref}\`, which is not a protected base: tfgate never applies such a pull request (its author could have chosen that branch's rules); retarget it to \`${base.defaultBranch}\``,
    });
  }
  if (!input.commenter.canWrite && !input.commenter.inApproverTeam) {
    unmet.push({ code: "commenter", message: `@${input.commenter.login} needs write access to the repository, or membership of ${teams}` });
  }
  const { approvals, why } = headApprovals(input);
  if (approvals.length === 0) {
    const detail = why.length > 0 ? ` (${why.join("; ")})` : "";
    unmet.push({ code: "approval", message: `needs an approving review of the head commit ${short(pr.headSha)} by a member of ${teams} other than the author${detail}` });
  }

  if (pr.state !== "open") unmet.push({ code: "pr-state", message: "the pull request is closed" });
  if (pr.draft) unmet.push({ code: "pr-state", message: "the pull request is a draft: mark it ready for review" });
  if (pr.mergeable === false) unmet.push({ code: "pr-state", message: "the pull request has a merge conflict: update it from its base branch" });
  if (pr.mergeable === null) unmet.push({ code: "pr-state", message: "GitHub is still checking whether the pull request merges cleanly: try again in a moment" });

  if (input.targets.length === 0) unmet.push({ code: "no-targets", message: "there is no planned project to apply: comment `/plan` first" });
  // Without per-project rules, a project needs one approval by a member of any approver team.
  const members = new Set([...input.approverMembers].map((m) => m.toLowerCase()));
  const memberOf = (team: string, login: string) => (input.memberships ? (input.memberships.get(team)?.has(login.toLowerCase()) ?? false) : members.has(login.toLowerCase()));
  const rulesOf = (project: string) => input.requirements?.get(project)?.approvals ?? [{ teams: input.approverTeams, mode: "any-of" as const, source: APPROVER_TEAMS_SOURCE }];
  unmet.push(...otherRequirements(input.targets.map((t) => ({ project: t.project, require: input.requirements?.get(t.project)?.require ?? [], requiredChecks: input.requirements?.get(t.project)?.requiredChecks ?? [] })), base, input.others));
  const approvedBy: Record<string, string> = {};
  for (const t of input.targets) {
    const plan = t.plan;
    if (!plan) unmet.push({ code: "plan", project: t.project, message: `\`${t.project}\` has no plan: comment \`/plan ${t.project}\`` });
    else if (plan.headSha !== pr.headSha) {
      unmet.push({ code: "plan", project: t.project, message: `\`${t.project}\` was planned for ${short(plan.headSha)}, not the head ${short(pr.headSha)}: comment \`/plan ${t.project}\`` });
    } else if (plan.outcome === "error") unmet.push({ code: "plan", project: t.project, message: `\`${t.project}\`'s plan failed: fix it and comment \`/plan ${t.project}\`` });
    else {
      if (plan.policy !== "passed") {
        const state = plan.policy === null ? "was not evaluated" : plan.policy === "failed" ? "failed" : "could not be evaluated";
        unmet.push({ code: "policy", project: t.project, message: `\`${t.project}\`'s policy check ${state}: fix the findings in the summary and push` });
      }
      // A plan without changes applies nothing, so no approval has anything to cover.
      if (plan.outcome === "changes" && approvals.length > 0) {
        const check = checkApprovalRules(rulesOf(t.project), approvals, memberOf, coverageTarget({ ...t, plan }));
        if (check.status === "approved") approvedBy[t.project] = check.reviewers.join(", ");
        else for (const message of check.messages) unmet.push({ code: "approval", project: t.project, message });
      }
    }
    if (t.lockHolder !== pr.number) {
      unmet.push({
        code: "lock",
        project: t.project,
        message:
          t.lockHolder === null
            ? `this pull request does not hold \`${t.project}\`'s lock: comment \`/plan ${t.project}\` to take it`
            : `\`${t.project}\` is locked by #${t.lockHolder}: it must be merged, closed or \`/unlock\`ed there first`,
      });
    }
  }
  if (unmet.length > 0 || approvals.length === 0) return { status: "denied", unmet };
  return { status: "allowed", approvals: approvedBy, targets: input.targets.map((t) => t.project) };
}
