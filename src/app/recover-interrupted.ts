import type { Vcs } from "./ports/vcs.js";
import type { Logger } from "./ports/logger.js";
import { AGGREGATE_CONTEXT, APPLY_AGGREGATE_CONTEXT, applyContext, projectContext } from "./plan-status.js";
import type { InterruptedJob } from "./ports/jobs.js";
import type { Store } from "./ports/store.js";

/**
 * At startup: jobs that were queued or running when the server stopped are marked interrupted
 * and each pull request is told, with how to run them again. Nothing is re-run here; the delivery
 * that asked for a plan, if the stop cut its handling short, is handled again (delivery-handling.ts)
 * and plans again. An
 * interrupted apply also voids the approvals given before this report (the gate reads when it
 * was made): the infrastructure may be half-changed, so what was approved no longer describes it.
 */
export async function recoverInterrupted(deps: { store: Store; vcs: Vcs; log: Logger }): Promise<number> {
  const interrupted = await deps.store.jobs.markInterrupted();
  const byPr = new Map<string, InterruptedJob[]>();
  for (const i of interrupted) {
    const key = `${i.job.repo}#${i.job.pr}`;
    byPr.set(key, [...(byPr.get(key) ?? []), i]);
  }
  for (const [key, jobs] of byPr) {
    const first = jobs[0]?.job;
    if (!first) continue;
    const [owner, name] = first.repo.split("/") as [string, string];
    try {
      const repo = await deps.vcs.resolveRepo(owner, name);
      const lines = jobs.map(({ job }) => `- \`${job.project}\`: ${job.kind} of \`${job.headSha.slice(0, 12)}\` (${job.kind === "apply" ? "check the infrastructure and the state before anything else" : "nothing was changed"})`);
      const plans = [...new Set(jobs.filter((j) => j.job.kind === "plan").map((j) => j.job.project))];
      const applied = [...new Set(jobs.filter((j) => j.job.kind === "apply").map((j) => j.job.project))];
      const names = (projects: readonly string[]) => projects.map((p) => `\`${p}\``).join(", ");
      await deps.vcs.createComment(
        repo,
        first.pr,
        [
          `**tfgate restarted while these jobs were in flight; they were interrupted:**`,
          "",
          ...lines,
          "",
          ...(plans.length > 0 ? [`tfgate runs these plans again by itself when the stop cut short the event that asked for them; if no new plan starts, comment \`/plan ${plans.join(" ")}\`.`] : []),
          ...(applied.length > 0
            ? [`Approvals submitted before this comment no longer count for ${names(applied)}: once the infrastructure and the state are checked, comment \`/plan ${applied.join(" ")}\` and ask an approver for a new approval.`]
            : []),
        ].join("\n"),
      );
      await deps.store.jobs.markReported(jobs.map(({ job }) => job.id));
      await setStatuses(deps.vcs, repo, jobs);
    } catch (err) {
      deps.log.error({ err, pr: key }, "could not report interrupted jobs");
    }
  }
  return interrupted.length;
}

/**
 * Each interrupted project's status says so, and so does each aggregate of the same commit: a
 * project in error under a `tfgate/plan` still showing success (set before the stop) would let a
 * pull request merge with a plan nobody can apply.
 */
async function setStatuses(vcs: Vcs, repo: Awaited<ReturnType<Vcs["resolveRepo"]>>, jobs: readonly InterruptedJob[]): Promise<void> {
  const bySha = new Map<string, InterruptedJob["job"][]>();
  for (const { job } of jobs) bySha.set(job.headSha, [...(bySha.get(job.headSha) ?? []), job]);
  for (const [sha, onSha] of bySha) {
    for (const job of onSha) {
      await vcs.setStatus(repo, sha, { context: projectContext(job.project), state: "error", description: `${job.kind} interrupted by a restart: comment /plan` });
      if (job.kind === "apply") await vcs.setStatus(repo, sha, { context: applyContext(job.project), state: "error", description: "apply interrupted by a restart: check the infrastructure" });
    }
    const projects = [...new Set(onSha.map((j) => j.project))];
    await vcs.setStatus(repo, sha, { context: AGGREGATE_CONTEXT, state: "error", description: `${projects.length} project(s) interrupted by a restart: comment /plan` });
    if (onSha.some((j) => j.kind === "apply")) {
      await vcs.setStatus(repo, sha, { context: APPLY_AGGREGATE_CONTEXT, state: "failure", description: "an apply was interrupted by a restart" });
    }
  }
}
