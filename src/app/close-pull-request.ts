import { prKeyOf, repoNameOf, stateOfPlan, updateRow } from "./pr-run.js";
import type { ChangeRequest, RepoRef } from "./ports/vcs.js";
import type { PullRequestDeps } from "./pull-request-deps.js";

/**
 * A pull request was merged or closed: its plans stop, its locks go, its saved plan files are
 * deleted (records stay, for the audit), and the summary says so.
 */
export async function closePullRequest(deps: Pick<PullRequestDeps, "queue" | "locks" | "store" | "workspaces" | "prStates">, repo: RepoRef, pr: ChangeRequest): Promise<void> {
  const name = repoNameOf(repo);
  deps.queue.cancel((j) => j.tags["pr"] === prKeyOf(repo, pr.number), "pull request closed");
  const released = await deps.locks.releaseAllForPr(name, pr.number);
  await deps.workspaces.removeFiles(await deps.store.plans.discardPr(name, pr.number));
  let run = await deps.prStates.get(repo, pr.number);
  if (!run) {
    // A pull request planned before tfgate kept PR states: its summary rebuilt from the stored plans.
    run = await deps.prStates.begin(repo, pr);
    for (const plan of await deps.store.plans.forPr(name, pr.number)) {
      if (plan.headSha !== pr.headSha) continue;
      run.rows.set(plan.project, { name: plan.project, dir: "", state: stateOfPlan(plan), policy: plan.policy, lock: "not-held", ...(plan.contentHash ? { planHash: plan.contentHash } : {}) });
    }
  }
  run.prState = pr.merged ? "merged" : "closed";
  for (const l of released) updateRow(run, l.project, { lock: "not-held" });
  await deps.prStates.publish(repo, run);
  deps.prStates.forget(repo, pr.number);
}
