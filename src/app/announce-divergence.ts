import type { Divergence } from "../domain/apply/divergence-at-close.js";
import { renderDivergenceNotice } from "../domain/render/render-divergence-notice.js";
import { ignoreDivergence } from "./ports/infrastructure-diverged.js";
import type { RepoRef } from "./ports/vcs.js";
import type { PrRun } from "./pr-run.js";
import type { PullRequestDeps } from "./pull-request-deps.js";

/** The divergence warning could not be posted; `cause` is the code host's error. Nothing else was recorded, so handling the event again retries it. */
export class DivergenceNoticeError extends Error {
  readonly code = "divergence-notice-failed";
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "DivergenceNoticeError";
  }
}

/** The run's one-off notice key for a divergence: kept with the PR state, so it is posted once per close. */
export const divergenceNoticeKey = (d: Divergence) => `closed:${d.kind}`;

export type AnnounceDivergenceDeps = Pick<PullRequestDeps, "vcs" | "store" | "prStates" | "log" | "onInfrastructureDiverged" | "notifier" | "settings">;

/**
 * Posts the warning, audits it and calls the drift hook, for a run whose notice key the caller
 * has already claimed and saved (so a redelivered or resumed `closed` event finds the key and
 * posts nothing). The comment is what the key stands for: when it fails, the key is given back
 * and saved, so the next delivery tries again. The audit entry and the hook come after it and
 * only log their failures: throwing then would post the comment again on the retry.
 */
export async function announceDivergence(deps: AnnounceDivergenceDeps, repo: RepoRef, run: PrRun, divergence: Divergence): Promise<void> {
  const fields = { repo: run.repo, pr: run.pr, reason: divergence.kind, projects: divergence.projects };
  try {
    await deps.vcs.createComment(repo, run.pr, renderDivergenceNotice(divergence, run.baseRef));
  } catch (err) {
    run.notices.delete(divergenceNoticeKey(divergence));
    await deps.prStates.publish(repo, run);
    throw new DivergenceNoticeError(`could not warn pull request ${run.repo}#${run.pr} that its branch and infrastructure disagree`, { cause: err });
  }
  deps.log.warn(fields, "closed pull request leaves its branch and the infrastructure disagreeing");
  if (divergence.kind === "merged-unapplied") {
    const url = `${deps.settings.webBaseUrl}/${run.repo}/pull/${run.pr}`;
    deps.notifier.notify({ event: "pr.merged-unapplied", data: { repo: run.repo, pr: { number: run.pr, url }, projects: divergence.projects, mergedBy: null } });
  }
  await deps.store.audit
    .append({ actor: "tfgate", action: divergence.kind, repo: run.repo, pr: run.pr, headSha: run.headSha, result: "warned", detail: { projects: divergence.projects } })
    .catch((err: unknown) => deps.log.error({ err, ...fields }, "could not audit a divergence warning"));
  await (deps.onInfrastructureDiverged ?? ignoreDivergence)(repo, divergence.projects, divergence.kind).catch((err: unknown) =>
    deps.log.error({ err, ...fields }, "the infrastructure-diverged hook failed"),
  );
}
