import { findApproval } from "../domain/apply/apply-gate.js";
import type { SummaryProject } from "../domain/render/summary-input.js";
import type { GitHub, RepoRef } from "./github-port.js";

/**
 * The summary's self-check: where each project stands before /apply, so nobody has to guess.
 * Reads reviews and team membership (GitHub reads are not paced like writes). Empty when no
 * approver team is configured: the summary then shows no gate column.
 */
export async function gateStates(
  github: GitHub,
  approverTeams: readonly string[],
  repo: RepoRef,
  pr: { number: number; author: string; headSha: string },
  rows: readonly SummaryProject[],
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (approverTeams.length === 0) return states;
  const reviews = await github.reviews(repo, pr.number);
  const members = new Set<string>();
  for (const reviewer of new Set(reviews.filter((r) => r.state === "APPROVED").map((r) => r.reviewer))) {
    for (const team of approverTeams) {
      if (await github.teamMember(repo, team, reviewer)) {
        members.add(reviewer);
        break;
      }
    }
  }
  const approvedBy = findApproval({ pr: { ...pr, state: "open", draft: false, mergeable: true }, reviews, approverMembers: members });
  for (const row of rows) {
    const s = row.state.status;
    if (s === "applied") states.set(row.name, "applied");
    else if (s === "no-changes") states.set(row.name, "nothing to apply");
    else if (s === "locked-by-other-pr") states.set(row.name, "locked by another PR");
    else if (s === "changes") {
      if (row.policy?.status !== "passed") states.set(row.name, "blocked by policy");
      else if (row.lock !== "held") states.set(row.name, "needs the lock: /plan");
      else states.set(row.name, approvedBy ? `ready to apply (approved by @${approvedBy})` : "waiting for SRE approval");
    }
  }
  return states;
}
