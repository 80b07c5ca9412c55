import { compareText } from "../compare-text.js";
import type { SummaryProject } from "../render/summary-input.js";

/**
 * Whether the default branch and the infrastructure still agree once a pull request is closed.
 * Merged with a plan that had changes and was not applied: the branch holds code the
 * infrastructure does not run. Closed unmerged after an apply: the infrastructure runs code the
 * branch does not have. Either way nobody else will notice until the next plan of that project.
 */
export type DivergenceAtClose =
  | { readonly kind: "in-step" }
  | { readonly kind: "merged-unapplied"; readonly projects: readonly string[] }
  | { readonly kind: "closed-after-apply"; readonly projects: readonly string[] };

export type Divergence = Exclude<DivergenceAtClose, { kind: "in-step" }>;

/**
 * Projects of the PR's current head whose plan has changes not applied. Only a finished plan
 * with changes counts: a failed or cancelled plan proves nothing either way.
 */
export function unappliedProjects(rows: readonly SummaryProject[]): string[] {
  return rows
    .filter((r) => r.state.status === "changes")
    .map((r) => r.name)
    .sort(compareText);
}

export interface CloseFacts {
  readonly merged: boolean;
  /** The summary rows of the PR's current head. */
  readonly rows: readonly SummaryProject[];
  /** Every project of which some plan of the PR (any head) was applied. */
  readonly applied: readonly string[];
}

export function divergenceAtClose(facts: CloseFacts): DivergenceAtClose {
  if (facts.merged) {
    const projects = unappliedProjects(facts.rows);
    return projects.length > 0 ? { kind: "merged-unapplied", projects } : { kind: "in-step" };
  }
  const projects = [...new Set(facts.applied)].sort(compareText);
  return projects.length > 0 ? { kind: "closed-after-apply", projects } : { kind: "in-step" };
}
