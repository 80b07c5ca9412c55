import type { RepoRef } from "./ports/vcs.js";
import type { PullRequestDeps } from "./pull-request-deps.js";

/** A review came in: the summary's gate column is read again (reviews, team membership, plans). */
export async function refreshGate(deps: Pick<PullRequestDeps, "prStates">, repo: RepoRef, pr: number): Promise<void> {
  const run = await deps.prStates.get(repo, pr);
  if (!run || run.author === null) return;
  await deps.prStates.updateGates(repo, run);
  await deps.prStates.publish(repo, run);
}
