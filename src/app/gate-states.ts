import { coverageNote } from "../domain/apply/approval-coverage.js";
import { headApprovals, projectApproval } from "../domain/apply/apply-gate.js";
import type { SummaryProject } from "../domain/render/summary-input.js";
import type { Vcs, RepoRef } from "./ports/vcs.js";
import { projectPlans } from "./project-plans.js";
import { repoNameOf } from "./pr-run.js";
import type { Store } from "./ports/store.js";

export interface GateStatesInput {
  readonly repo: RepoRef;
  readonly approverTeams: readonly string[];
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
  for (const reviewer of new Set(reviews.filter((r) => r.state === "APPROVED").map((r) => r.reviewer))) {
    for (const team of approverTeams) {
      if (await vcs.teamMember(repo, team, reviewer)) {
        members.add(reviewer);
        break;
      }
    }
  }
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
    const approval = projectApproval(approvals, { project: row.name, current, history: plans.history, approvalsVoidUntil: plans.approvalsVoidUntil });
    return approval.status === "approved" ? `ready to apply (approved by @${approval.reviewer})` : `waiting for SRE approval: ${coverageNote(approval.reviewer, approval.coverage)}`;
  }
}
