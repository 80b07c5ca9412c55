import { divergenceAtClose } from "../domain/apply/divergence-at-close.js";
import { announceDivergence, divergenceNoticeKey, type AnnounceDivergenceDeps } from "./announce-divergence.js";
import { firstNotice, prKeyOf, repoNameOf, stateOfPlan, updateRow } from "./pr-run.js";
import type { ChangeRequest, RepoRef } from "./ports/vcs.js";
import type { PullRequestDeps } from "./pull-request-deps.js";

/**
 * A pull request was merged or closed: its plans stop, its locks go, its saved plan files are
 * deleted (records stay, for the audit), and the summary says so. When the branch and the
 * infrastructure no longer agree (merged unapplied, closed after an apply), it also says so once:
 * a comment, `tfgate/apply` failing for a merge, an audit entry, the drift hook.
 */
export async function closePullRequest(deps: Pick<PullRequestDeps, "queue" | "locks" | "workspaces"> & AnnounceDivergenceDeps, repo: RepoRef, pr: ChangeRequest): Promise<void> {
  const name = repoNameOf(repo);
  deps.queue.cancel((j) => j.tags["pr"] === prKeyOf(repo, pr.number), "pull request closed");
  // Before any call to the code host: a failing host must not keep another PR's plans locked out.
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
  const applied = (await deps.store.plans.history(name, pr.number)).filter((p) => p.state === "applied").map((p) => p.project);
  const divergence = divergenceAtClose({ merged: pr.merged, rows: [...run.rows.values()], applied });
  // Claimed before the publish below saves the run: a redelivered or resumed `closed` event reads
  // the key back from the store and posts nothing twice.
  const announce = divergence.kind !== "in-step" && firstNotice(run, divergenceNoticeKey(divergence));
  try {
    // A merge leaving changes unapplied turns `tfgate/apply` to failure (applyAggregateStatus), so the statuses go out again.
    if (divergence.kind === "merged-unapplied") await deps.prStates.publishAll(repo, run);
    else await deps.prStates.publish(repo, run);
    if (announce) await announceDivergence(deps, repo, run, divergence);
  } finally {
    deps.prStates.forget(repo, pr.number);
  }
}
