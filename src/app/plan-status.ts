import { unappliedProjects } from "../domain/apply/divergence-at-close.js";
import type { ProjectRunState, SummaryProject } from "../domain/render/summary-input.js";
import type { CommitStatus } from "./ports/vcs.js";

export const AGGREGATE_CONTEXT = "tfgate/plan";
export const projectContext = (project: string) => `tfgate/plan: ${project}`;

/** The commit status of one project's row, for branch protection. */
export function statusOf(row: SummaryProject): CommitStatus | null {
  const context = projectContext(row.name);
  const s: ProjectRunState = row.state;
  switch (s.status) {
    case "queued":
    case "running":
      return { context, state: "pending", description: s.status === "queued" ? "waiting to plan" : "planning" };
    case "no-changes":
      return policyStatus(context, row, "no changes");
    case "changes":
      return policyStatus(context, row, `+${s.counts.add} ~${s.counts.change} -${s.counts.destroy} ±${s.counts.replace}`);
    case "applied":
      return { context, state: "success", description: "applied" };
    case "error":
      return { context, state: s.reason === "interrupted" || s.reason === "apply-interrupted" ? "error" : "failure", description: s.message };
    case "locked-by-other-pr":
      return { context, state: "failure", description: `locked by #${s.holder.number}: not planned` };
    case "cancelled":
      return null;
  }
}

function policyStatus(context: string, row: SummaryProject, what: string): CommitStatus {
  const p = row.policy;
  if (p === null || p.status === "passed") return { context, state: "success", description: `plan: ${what}; policy passed` };
  if (p.status === "failed") return { context, state: "failure", description: `policy failed: ${p.violations.length} violation(s)` };
  return { context, state: "error", description: "policy could not be evaluated" };
}

/** `tfgate/plan`: pending while anything runs, failure when anything failed, else success. */
export function aggregateStatus(rows: readonly SummaryProject[]): CommitStatus {
  const states = rows.map(statusOf).filter((s): s is CommitStatus => s !== null);
  if (states.some((s) => s.state === "pending")) return { context: AGGREGATE_CONTEXT, state: "pending", description: `planning ${rows.length} project(s)` };
  const bad = states.filter((s) => s.state === "failure" || s.state === "error").length;
  if (bad > 0) return { context: AGGREGATE_CONTEXT, state: "failure", description: `${bad} of ${rows.length} project(s) need attention` };
  return { context: AGGREGATE_CONTEXT, state: "success", description: rows.length === 0 ? "no project affected" : `${rows.length} project(s) planned` };
}

export const APPLY_AGGREGATE_CONTEXT = "tfgate/apply";
export const applyContext = (project: string) => `tfgate/apply: ${project}`;

/**
 * `tfgate/apply`, for teams that require "applied before merge" in branch protection: success
 * when every project with changes is applied (or nothing needs applying), pending otherwise.
 * null while plans still run: the answer is not known yet. A failed apply is reported by the
 * apply itself (failure), and replaced by this once a later apply or plan settles the rows.
 * Merged with changes not applied: failure for good, since no later apply in this PR can fix it
 * (the merge commit and the commit the PR shows both point at code the infrastructure lacks).
 */
export function applyAggregateStatus(rows: readonly SummaryProject[], prState: "open" | "closed" | "merged" = "open"): CommitStatus | null {
  const context = APPLY_AGGREGATE_CONTEXT;
  const unapplied = prState === "merged" ? unappliedProjects(rows).length : 0;
  if (unapplied > 0) return { context, state: "failure", description: `merged with ${unapplied} project(s) not applied: apply from a new PR, or revert` };
  // Said by the restart that found it (recover-interrupted.ts); kept until a new plan replaces the row.
  if (rows.some((r) => r.state.status === "error" && r.state.reason === "apply-interrupted")) return { context, state: "failure", description: "an apply was interrupted by a restart" };
  const states = rows.map((r) => r.state.status);
  if (states.some((s) => s === "queued" || s === "running")) return null;
  const toApply = states.filter((s) => s !== "no-changes" && s !== "cancelled");
  const applied = states.filter((s) => s === "applied").length;
  if (toApply.length === 0) return { context, state: "success", description: "nothing to apply" };
  if (applied === toApply.length) return { context, state: "success", description: `${applied} project(s) applied` };
  return { context, state: "pending", description: `${applied} of ${toApply.length} project(s) applied: /apply after an SRE approval` };
}
