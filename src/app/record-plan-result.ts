import { createHmac } from "node:crypto";
import { canonicalPlanContent } from "../domain/plan/plan-content.js";
import type { Logger } from "./ports/logger.js";
import type { ProjectPlan } from "./plan-projects.js";
import type { PlanRecord, PlanStore } from "./ports/plans.js";
import type { Store } from "./ports/store.js";

/**
 * Records a finished plan job: its final state, and the plan itself when there is one (what
 * `/apply` applies), with the hash of its content (what an approval covers). A job stopped by the
 * shutdown is left "running", for restart recovery. Returns the plan's record, if one was saved.
 */
export async function recordPlanResult(
  deps: { readonly store: Store; readonly log: Logger; readonly shuttingDown: () => boolean },
  input: { readonly repo: string; readonly pr: number; readonly headSha: string; readonly jobId: string; readonly result: ProjectPlan },
): Promise<PlanRecord | null> {
  const { outcome, policy, project } = input.result;
  const { jobId } = input;
  const final = outcome.status === "error" ? (outcome.reason === "cancelled" ? "cancelled" : "failed") : "succeeded";
  if (final === "cancelled" && deps.shuttingDown()) {
    deps.log.info({ jobId, project: project.name }, "plan stopped by the shutdown: left for restart recovery");
    return null;
  }
  await deps.store.jobs.transition(jobId, final, outcome.status === "error" ? { error: outcome.message } : {}).catch((err: unknown) => {
    deps.log.warn({ err, jobId }, "could not record the end of a job");
  });
  if (outcome.status === "error") return null;
  return deps.store.plans.save({
    repo: input.repo,
    pr: input.pr,
    project: project.name,
    headSha: input.headSha,
    file: outcome.status === "changes" ? { path: outcome.plan.path, sha256: outcome.plan.sha256 } : null,
    summary: outcome.status === "changes" ? { status: "changes", counts: outcome.counts, diff: outcome.diff ?? "" } : { status: "no-changes" },
    policy,
    contentHash: await planContentHash(deps.store.plans, outcome.planJson),
  });
}

/**
 * Keyed with the database's own key: the hash is shown on GitHub, and an unkeyed hash of content
 * that holds sensitive values would let anyone test guesses of those values against it.
 */
export async function planContentHash(plans: Pick<PlanStore, "contentKey">, planJson: unknown): Promise<string> {
  return createHmac("sha256", await plans.contentKey()).update(canonicalPlanContent(planJson)).digest("hex");
}
