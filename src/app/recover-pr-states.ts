import type { ProjectRunState } from "../domain/render/summary-input.js";
import { fromSnapshot, stateOfPlan, updateRow, type PrRun } from "./pr-run.js";
import type { PrStateService } from "./pr-state-service.js";
import type { JobRecord } from "./ports/jobs.js";
import type { Logger } from "./ports/logger.js";
import type { Store } from "./ports/store.js";
import type { Vcs } from "./ports/vcs.js";

const INTERRUPTED: ProjectRunState = { status: "error", reason: "interrupted", message: "interrupted by a restart: comment /plan", diagnostics: "" };
const APPLY_INTERRUPTED: ProjectRunState = {
  status: "error",
  reason: "apply-interrupted",
  message: "apply interrupted by a restart: check the infrastructure and the state, then comment /plan",
  diagnostics: "",
};

/**
 * At start-up, after interrupted jobs are marked: each pull request whose recorded state the code
 * host may not show is brought up to date. Rows are first set to what the store knows happened
 * (a plan that finished, an apply that succeeded, a job the stop interrupted), then the summary
 * and statuses are published. Returns how many pull requests were published.
 */
export async function recoverPrStates(deps: { store: Pick<Store, "prs" | "plans" | "jobs">; vcs: Vcs; prStates: PrStateService; log: Logger }): Promise<number> {
  let published = 0;
  for (const stored of await deps.store.prs.unsettled()) {
    const run = fromSnapshot(stored.snapshot);
    try {
      const changed = await settleRows(deps.store, run);
      if (!changed && stored.version <= stored.publishedVersion) continue;
      deps.log.info({ repo: run.repo, pr: run.pr, version: stored.version, publishedVersion: stored.publishedVersion, rowsSettled: changed }, "re-publishing a pull request's summary");
      const [owner = "", name = ""] = run.repo.split("/");
      const repo = await deps.vcs.resolveRepo(owner, name);
      // A delivery handled meanwhile may have begun a newer run: that one wins.
      const current = await deps.prStates.get(repo, run.pr);
      if (current && current.headSha !== run.headSha) continue;
      const target = current ?? run;
      if (current) for (const [project, row] of run.rows) target.rows.set(project, row);
      else deps.prStates.adopt(run);
      await deps.prStates.publishAll(repo, target);
      if (target.prState !== "open") deps.prStates.forget(repo, target.pr);
      published++;
    } catch (err) {
      deps.log.error({ err, repo: run.repo, pr: run.pr }, "could not re-publish a pull request's summary");
    }
  }
  return published;
}

/** Sets rows the stop left behind to what the store recorded; true when any row changed. */
async function settleRows(store: Pick<Store, "plans" | "jobs">, run: PrRun): Promise<boolean> {
  const plans = (await store.plans.forPr(run.repo, run.pr)).filter((p) => p.headSha === run.headSha);
  const jobs = await store.jobs.recent({ repo: run.repo, pr: run.pr, limit: 1000 });
  let changed = false;
  for (const row of [...run.rows.values()]) {
    const plan = plans.find((p) => p.project === row.name);
    const s = row.state.status;
    if (s === "queued" || s === "running") {
      // Newest first: the job this row was waiting for.
      const job = jobs.find((j) => j.kind === "plan" && j.project === row.name && j.headSha === run.headSha);
      if (job?.state === "succeeded" && plan && plan.createdAt >= job.createdAt) {
        updateRow(run, row.name, { state: stateOfPlan(plan), policy: plan.policy, ...(plan.contentHash ? { planHash: plan.contentHash } : {}) });
        run.planIds.set(row.name, plan.id);
      } else updateRow(run, row.name, { state: INTERRUPTED });
      changed = true;
    } else if (s === "changes" && applyInterrupted(jobs, run.planIds.get(row.name))) {
      // Showing this plan as ready would undo the interruption's statuses (recover-interrupted.ts).
      updateRow(run, row.name, { state: APPLY_INTERRUPTED, gate: "approvals before the interruption no longer count" });
      changed = true;
    } else if (s === "changes" && plan?.state === "applied" && run.planIds.get(row.name) === plan.id) {
      updateRow(run, row.name, { state: stateOfPlan(plan), gate: "applied" });
      changed = true;
    }
  }
  return changed;
}

/** Whether the newest apply of this plan was cut off by the stop. */
function applyInterrupted(jobs: readonly JobRecord[], planId: number | undefined): boolean {
  return planId !== undefined && jobs.find((j) => j.kind === "apply" && j.planId === planId)?.state === "interrupted";
}
