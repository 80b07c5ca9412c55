/**
 * What one project's `/apply` needs: the approvals (which teams, any or all of them) and the
 * other requirements, from three places. The server's floor (TFGATE_APPLY_FLOOR_*) cannot be
 * weakened by a repository; tfgate.yaml's `apply` (from the trusted ref) sets the rest, with
 * per-project `rules`. Pure.
 */
import picomatch from "picomatch";
import type { ApplyConfig, ApplyRequirement, ApprovalMode } from "../projects/repo-config.js";

export interface ApprovalRule {
  readonly teams: readonly string[];
  readonly mode: ApprovalMode;
  /** Where the rule comes from, for refusals: "the server's floor", "tfgate.yaml apply.rules[1]". */
  readonly source: string;
}

export interface ProjectRequirements {
  /** Every rule must be met. Never empty when apply is enabled. */
  readonly approvals: readonly ApprovalRule[];
  readonly require: readonly ApplyRequirement[];
  /** Checks that must have reported success (tfgate.yaml `required_checks`, the rule's too). */
  readonly requiredChecks: readonly string[];
}

/** Set on the server; a repository can add to it, never take from it. */
export interface ApplyFloor {
  /** An approval by a member of one of these teams, whatever tfgate.yaml says. */
  readonly teams: readonly string[];
  readonly require: readonly ApplyRequirement[];
}

export const NO_FLOOR: ApplyFloor = { teams: [], require: [] };

/** The source of the default rule: the server's and tfgate.yaml's repository-wide approver teams. */
export const APPROVER_TEAMS_SOURCE = "the approver teams";

export function projectRequirements(project: string, serverTeams: readonly string[], config: ApplyConfig, floor: ApplyFloor): ProjectRequirements {
  const index = config.rules.findIndex((r) => picomatch.isMatch(project, [...r.projects], { dot: true }));
  const rule = index >= 0 ? config.rules[index] : undefined;
  const approvals: ApprovalRule[] = [];
  if (floor.teams.length > 0) approvals.push({ teams: floor.teams, mode: "any-of", source: "the server's floor (TFGATE_APPLY_FLOOR_TEAMS)" });
  if (rule?.approver_teams !== undefined) {
    approvals.push({ teams: rule.approver_teams, mode: rule.approvals, source: `tfgate.yaml apply.rules[${index}]` });
  } else {
    const teams = [...new Set([...serverTeams, ...config.approver_teams])];
    if (teams.length > 0) approvals.push({ teams, mode: rule?.approvals ?? "any-of", source: rule ? `tfgate.yaml apply.rules[${index}]` : APPROVER_TEAMS_SOURCE });
  }
  const require = [...new Set([...floor.require, ...config.require, ...(rule?.require ?? [])])].sort();
  const requiredChecks = [...new Set([...config.required_checks, ...(rule?.required_checks ?? [])])].sort();
  return { approvals, require, requiredChecks };
}

/** Every team any of the projects' rules names: who counts as an approver at all. */
export function teamsOf(requirements: Iterable<ProjectRequirements>): string[] {
  const teams = new Set<string>();
  for (const r of requirements) for (const a of r.approvals) for (const t of a.teams) teams.add(t);
  return [...teams].sort();
}
