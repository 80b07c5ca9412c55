import type { GitHub } from "./github-port.js";
import type { Logger } from "./logger-port.js";
import { projectContext } from "./plan-status.js";
import type { Store } from "./store-ports.js";

/**
 * At startup: jobs that were queued or running when the server stopped are marked interrupted
 * and each pull request is told, with how to run them again. Nothing is re-run by itself.
 */
export async function recoverInterrupted(deps: { store: Store; github: GitHub; log: Logger }): Promise<number> {
  const interrupted = await deps.store.jobs.markInterrupted();
  const byPr = new Map<string, typeof interrupted>();
  for (const i of interrupted) {
    const key = `${i.job.repo}#${i.job.pr}`;
    byPr.set(key, [...(byPr.get(key) ?? []), i]);
  }
  for (const [key, jobs] of byPr) {
    const first = jobs[0]?.job;
    if (!first) continue;
    const [owner, name] = first.repo.split("/") as [string, string];
    try {
      const repo = await deps.github.installationFor(owner, name);
      const lines = jobs.map(({ job }) => `- \`${job.project}\`: ${job.kind} of \`${job.headSha.slice(0, 12)}\` (${job.kind === "apply" ? "check the infrastructure and the state before anything else" : "nothing was changed"})`);
      const plans = jobs.filter((j) => j.job.kind === "plan").map((j) => j.job.project);
      await deps.github.createComment(
        repo,
        first.pr,
        [`**tfgate restarted while these jobs were in flight; they were interrupted:**`, "", ...lines, "", plans.length > 0 ? `Comment \`/plan ${[...new Set(plans)].join(" ")}\` to run the plans again.` : ""].join("\n"),
      );
      for (const { job } of jobs) {
        await deps.github.setStatus(repo, job.headSha, { context: projectContext(job.project), state: "error", description: `${job.kind} interrupted by a restart: comment /plan` });
      }
    } catch (err) {
      deps.log.error({ err, pr: key }, "could not report interrupted jobs");
    }
  }
  return interrupted.length;
}
