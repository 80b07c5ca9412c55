import { headApprovals } from "../domain/apply/apply-gate.js";
import { checkApprovalRules } from "../domain/apply/approval-rules.js";
import { APPROVER_TEAMS_SOURCE, type ApprovalRule } from "../domain/apply/project-requirements.js";
import type { SummaryProject } from "../domain/render/summary-input.js";
import type { Vcs, RepoRef } from "./ports/vcs.js";
import { projectPlans } from "./project-plans.js";
import { repoNameOf } from "./pr-run.js";
import type { Store } from "./ports/store.js";

export interface GateStatesInput {
  readonly repo: RepoRef;
  readonly approverTeams: readonly string[];
  /** Each project's approval rules (see PrRun.approvalRules); any-of approverTeams when absent. */
  readonly approvalRules?: Readonly<Record<string, readonly ApprovalRule[]>>;
  readonly pr: { readonly number: number; readonly author: string; readonly headSha: string };
  /** False when the PR goes into a base that is not protected: it is never applied. */
  readonly baseProtected: boolean;
  readonly rows: readonly SummaryProject[];
}

/**
 * The summary's self-check: where each project stands before /apply, so nobody has to guess.
 * Reads reviews and team membership (GitHub reads are not paced like writes) and the plans'
 * history. Empty when no approver team is configured: the summary then shows no gate column.
 */
export async function gateStates(deps: { readonly vcs: Vcs; readonly store: Pick<Store, "plans" | "jobs"> }, input: GateStatesInput): Promise<Map<string, string>> {
  const { vcs } = deps;
  const { repo, approverTeams, pr } = input;
  const states = new Map<string, string>();
  if (approverTeams.length === 0) return states;
  const reviews = await vcs.reviews(repo, pr.number);
  const members = new Set<string>();
  const memberships = new Map<string, Set<string>>();
  for (const reviewer of new Set(reviews.filter((r) => r.state === "APPROVED").map((r) => r.reviewer))) {
    for (const team of approverTeams) {
      if (await vcs.teamMember(repo, team, reviewer)) {
        members.add(reviewer);
        memberships.set(team, (memberships.get(team) ?? new Set()).add(reviewer.toLowerCase()));
      }
    }
  }
  const memberOf = (team: string, login: string) => memberships.get(team)?.has(login.toLowerCase()) ?? false;
  const { approvals } = headApprovals({ pr, reviews, approverMembers: members, approverTeams });
  const plansOf = await projectPlans(deps.store, repoNameOf(repo), pr.number);
  for (const row of input.rows) {
    const s = row.state.status;
    if (s === "applied") states.set(row.name, "applied");
    else if (s === "no-changes") states.set(row.name, "nothing to apply");
    else if (s === "locked-by-other-pr") states.set(row.name, "locked by another PR");
    else if (s === "changes") states.set(row.name, changesState(row));
  }
  return states;

  function changesState(row: SummaryProject): string {
    if (!input.baseProtected) return "never applied: the base branch is not protected";
    if (row.policy?.status !== "passed") return "blocked by policy";
    if (row.lock !== "held") return "needs the lock: /plan";
    const plans = plansOf(row.name);
    const current = plans.current;
    if (approvals.length === 0 || current === null || current.headSha !== pr.headSha) return "waiting for SRE approval";
    const rules = input.approvalRules?.[row.name] ?? [{ teams: approverTeams, mode: "any-of" as const, source: APPROVER_TEAMS_SOURCE }];
    const check = checkApprovalRules(rules, approvals, memberOf, { project: row.name, current, history: plans.history, approvalsVoidUntil: plans.approvalsVoidUntil });
    return check.status === "approved" ? `ready to apply (approved by ${check.reviewers.map((r) => `@${r}`).join(", ")})` : `waiting for SRE approval: ${check.notes.join("; ")}`;
  }
}
