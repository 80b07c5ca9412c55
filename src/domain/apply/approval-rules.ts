/**
 * Whether a project's approval rules are met by the standing approvals of the head: any-of (one
 * approval by a member of any of the teams) or all-of (one by a member of each team), each
 * approval also covering the plan being applied (see approval-coverage.ts). Pure.
 */
import { approvalCovers, coverageNote, coverageProblem, type Coverage, type CoverageTarget } from "./approval-coverage.js";
import { APPROVER_TEAMS_SOURCE, type ApprovalRule } from "./project-requirements.js";

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface GateReview {
  readonly reviewer: string;
  readonly state: ReviewState;
  /** The commit the review was made on. */
  readonly commitId: string;
  /** ISO time; reviews are ordered by it. */
  readonly submittedAt: string;
}

export type ProjectApproval =
  | { readonly status: "approved"; readonly reviewer: string }
  /** Approvals of the head exist, but none covers this plan; the newest one's reason. */
  | { readonly status: "not-covered"; readonly reviewer: string; readonly coverage: Exclude<Coverage, { status: "covered" }> };

/** Which of `approvals` (newest first, never empty) covers the target's plan. */
export function projectApproval(approvals: readonly GateReview[], target: CoverageTarget): ProjectApproval {
  let first: ProjectApproval | null = null;
  for (const review of approvals) {
    const coverage = approvalCovers(review.submittedAt, target);
    if (coverage.status === "covered") return { status: "approved", reviewer: review.reviewer };
    first ??= { status: "not-covered", reviewer: review.reviewer, coverage };
  }
  if (first === null) throw new RangeError("projectApproval needs at least one approval");
  return first;
}

export type RulesCheck =
  | { readonly status: "approved"; readonly reviewers: readonly string[] }
  /** `messages` for a refusal; `notes`, their short forms, for the summary's gate column. */
  | { readonly status: "unmet"; readonly messages: readonly string[]; readonly notes: readonly string[] };

/**
 * `approvals`: standing approvals of the head by someone other than the author, newest first.
 * `memberOf(team, login)`: whether the reviewer is a current member (asked of the host before).
 */
export function checkApprovalRules(
  rules: readonly ApprovalRule[],
  approvals: readonly GateReview[],
  memberOf: (team: string, login: string) => boolean,
  target: CoverageTarget,
): RulesCheck {
  const messages: string[] = [];
  const notes: string[] = [];
  const reviewers = new Set<string>();
  // No rule at all (no approver team anywhere for this project): apply is off for it.
  if (rules.length === 0) {
    const message = `\`${target.project}\` has no approver team (none on the server, none in tfgate.yaml for it): apply is disabled for this project`;
    return { status: "unmet", messages: [message], notes: ["no approver team for this project"] };
  }
  for (const rule of rules) {
    // all-of: every team is its own group; any-of: one group of all the teams.
    const groups = rule.mode === "all-of" ? rule.teams.map((t) => [t]) : [rule.teams];
    // Who could stand for each group (a covering approval by a member), for all-of's distinct people.
    const covering: string[][] = [];
    let fromRule: string[] = [];
    for (const group of groups) {
      const eligible = approvals.filter((a) => group.some((team) => memberOf(team, a.reviewer)));
      const teams = group.join(" or ");
      const why = rule.mode === "all-of" && rule.teams.length > 1 ? `${rule.source}: all of ${rule.teams.join(", ")} approve` : rule.source;
      // The repository-wide teams need no explanation; a rule or the floor does.
      const suffix = rule.source === APPROVER_TEAMS_SOURCE ? "" : ` (${why})`;
      if (eligible.length === 0) {
        messages.push(`\`${target.project}\` needs an approval of the head by a member of ${teams}${suffix}`);
        notes.push(`needs an approval by a member of ${teams}`);
        continue;
      }
      covering.push(eligible.filter((a) => approvalCovers(a.submittedAt, target).status === "covered").map((a) => a.reviewer.toLowerCase()));
      const approval = projectApproval(eligible, target);
      if (approval.status === "approved") fromRule.push(approval.reviewer);
      else {
        messages.push(`${coverageProblem(target, approval.reviewer, approval.coverage, teams)}${suffix}`);
        notes.push(coverageNote(approval.reviewer, approval.coverage));
      }
    }
    // all-of means that many people: one member of two teams counts once.
    const assigned = rule.mode === "all-of" && covering.length === groups.length && covering.every((c) => c.length > 0) ? distinctPeople(covering) : undefined;
    if (assigned) {
      // The approvers are the people the matching chose, one per team.
      const named = new Map(approvals.map((a) => [a.reviewer.toLowerCase(), a.reviewer]));
      fromRule = assigned.map((person) => named.get(person) ?? person);
    } else if (assigned === null) {
      messages.push(`\`${target.project}\` needs an approval by a different person for each of ${rule.teams.join(", ")} (${rule.source}: all of them approve); one person counts for one team`);
      notes.push(`needs a different approver for each of ${rule.teams.join(", ")}`);
    }
    for (const r of fromRule) reviewers.add(r);
  }
  return messages.length > 0 ? { status: "unmet", messages, notes } : { status: "approved", reviewers: [...reviewers].sort() };
}

/** One person per group, all different (a small bipartite matching: groups are few); null if none. */
function distinctPeople(candidates: readonly (readonly string[])[]): string[] | null {
  const taken = new Map<string, number>();
  const assign = (group: number, seen: Set<string>): boolean => {
    for (const person of candidates[group] ?? []) {
      if (seen.has(person)) continue;
      seen.add(person);
      const holder = taken.get(person);
      if (holder === undefined || assign(holder, seen)) {
        taken.set(person, group);
        return true;
      }
    }
    return false;
  };
  return candidates.every((_, group) => assign(group, new Set())) ? [...taken.keys()] : null;
}
