import type { SummaryProject } from "../domain/render/summary-input.js";
import { gateStates } from "./gate-states.js";
import type { Vcs, RepoRef } from "./ports/vcs.js";
import type { Logger } from "./ports/logger.js";
import { aggregateStatus, applyAggregateStatus, statusOf } from "./plan-status.js";
import { repoNameOf, type createPrRuns, type PrRun } from "./pr-runs.js";
import type { Store } from "./ports/store.js";
import type { SummaryPublisher } from "./summary-publisher.js";

export interface RunReporterDeps {
  readonly vcs: Vcs;
  readonly store: Pick<Store, "plans" | "jobs">;
  readonly publisher: SummaryPublisher;
  readonly log: Logger;
  readonly runs: ReturnType<typeof createPrRuns>;
  readonly webBaseUrl: string;
  /** Approver teams of a repository (`owner/name`), as last read from its trusted configuration. */
  readonly teamsFor: (repo: string) => readonly string[];
}

/** How a pull request's run reaches people: the summary comment, commit statuses, the gate column. */
export function createRunReporter(deps: RunReporterDeps) {
  return {
    /**
     * Posts the summary; once GitHub holds it, the plans it shows count as posted (an approval
     * covers a plan only if it came after the plan was posted).
     */
    async publish(repo: RepoRef, run: PrRun): Promise<void> {
      // The plans this very input shows: a newer input may replace it before it is written.
      const shown = [...run.planIds.values()].filter((id) => !run.posted.has(id));
      await deps.publisher.publish(repo, run.pr, deps.runs.summaryInput(repo, run, deps.webBaseUrl), async () => {
        if (shown.length === 0) return;
        try {
          await deps.store.plans.markPosted(shown);
          for (const id of shown) run.posted.add(id);
        } catch (err) {
          // Not recorded means "never shown": approvals cannot cover it, which is the safe side.
          deps.log.warn({ err, pr: run.pr }, "could not record which plans the summary shows");
        }
      });
    },

    /** One project's status, or (row null) the two aggregates, `tfgate/plan` and `tfgate/apply`. */
    async setStatus(repo: RepoRef, run: PrRun, row: SummaryProject | null): Promise<void> {
      try {
        const rows = [...run.rows.values()];
        const statuses = row ? [statusOf(row)] : [aggregateStatus(rows), applyAggregateStatus(rows)];
        for (const status of statuses) if (status) await deps.vcs.setStatus(repo, run.headSha, status);
      } catch (err) {
        deps.log.warn({ err, repo: repoNameOf(repo), pr: run.pr }, "could not set a commit status");
      }
    },

    /** Re-reads reviews, plans and interrupted applies into the summary's gate column. */
    async updateGates(repo: RepoRef, run: PrRun, author: string): Promise<void> {
      try {
        const states = await gateStates(
          { vcs: deps.vcs, store: deps.store },
          {
            repo,
            approverTeams: deps.teamsFor(repoNameOf(repo)),
            pr: { number: run.pr, author, headSha: run.headSha },
            baseProtected: run.trust?.protected ?? true,
            rows: [...run.rows.values()],
          },
        );
        for (const [project, gate] of states) deps.runs.updateRow(run, project, { gate });
      } catch (err) {
        deps.log.warn({ err, pr: run.pr }, "could not read reviews for the gate column");
      }
    },
  };
}
