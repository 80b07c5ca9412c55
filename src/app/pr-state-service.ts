import type { PlanCounts } from "../domain/plan/plan-outcome.js";
import type { SummaryProject } from "../domain/render/summary-input.js";
import type { CheckPublisher } from "./check-publisher.js";
import { checkReportsOf } from "./check-reports.js";
import { gateStates } from "./gate-states.js";
import { aggregateStatus, applyAggregateStatus, applyContext, statusOf } from "./plan-status.js";
import type { Logger } from "./ports/logger.js";
import type { Store } from "./ports/store.js";
import type { ChangeRequest, CommitStatus, RepoRef, Vcs } from "./ports/vcs.js";
import { fromSnapshot, newRun, prKeyOf, repoNameOf, summaryInput, toSnapshot, updateRow, type PrRun } from "./pr-run.js";
import type { ResultsMode } from "./results-vcs.js";
import type { SummaryPublisher } from "./summary-publisher.js";

export interface PrStateServiceDeps {
  readonly vcs: Vcs;
  readonly store: Pick<Store, "prs" | "plans" | "jobs">;
  readonly publisher: SummaryPublisher;
  readonly log: Logger;
  /** The code host's web address, for links in the summary. */
  readonly webBaseUrl: string;
  /** Check runs besides (or instead of) statuses; statuses only without it. */
  readonly results?: { readonly mode: ResultsMode; readonly checks: CheckPublisher };
}

/**
 * Each pull request's summary comment and commit statuses, from one PrRun per PR: kept in memory
 * while it changes, persisted in the store at every publish. A version the code host has not
 * fully seen (summary and statuses) stays "unpublished" in the store, and a restart publishes it
 * again (recover-pr-states.ts): GitHub converges to what the store records, whatever the crash.
 */
export interface PrStateService {
  /** The run for this head: the same one when the head did not move (a `/plan` of a subset), across restarts too. */
  begin(repo: RepoRef, pr: ChangeRequest): Promise<PrRun>;
  /** The PR's current run, from memory or the store; undefined when tfgate never showed one. */
  get(repo: RepoRef, pr: number): Promise<PrRun | undefined>;
  /** Makes a run read back from the store the PR's current one (restart recovery). */
  adopt(run: PrRun): void;
  /** False once a newer push replaced the run: its late results must not touch the summary. */
  isCurrent(run: PrRun): boolean;
  /** Drops the PR from memory (it was closed); its stored state stays. */
  forget(repo: RepoRef, pr: number): void;
  /** Persists the run and posts its summary. */
  publish(repo: RepoRef, run: PrRun): Promise<void>;
  /** One project's status. */
  setStatus(repo: RepoRef, run: PrRun, row: SummaryProject): Promise<void>;
  /** Persists, posts the summary, then every status: afterwards the host shows exactly this run. */
  publishAll(repo: RepoRef, run: PrRun): Promise<void>;
  /** Re-reads reviews, plans and interrupted applies into the summary's gate column. */
  updateGates(repo: RepoRef, run: PrRun): Promise<void>;
  /** Shows a project as applied (summary, its statuses and `tfgate/apply`). */
  markApplied(repo: RepoRef, pr: number, project: string, counts: PlanCounts): Promise<void>;
  /** An operator or a command released the PR's lock: the summary says so. */
  lockReleased(repo: RepoRef, pr: number, project: string): Promise<void>;
  /** Every project of the PR's current run is applied or has nothing to apply, and at least one was applied. */
  everythingApplied(repo: RepoRef, pr: number): Promise<boolean>;
}

export function createPrStateService(deps: PrStateServiceDeps): PrStateService {
  const runs = new Map<string, PrRun>();
  /** Reads of stored runs in flight, so two events for one PR after a restart share one run. */
  const loading = new Map<string, Promise<PrRun | undefined>>();

  const load = (repo: RepoRef, pr: number): Promise<PrRun | undefined> => {
    const key = prKeyOf(repo, pr);
    const inMemory = runs.get(key);
    if (inMemory) return Promise.resolve(inMemory);
    const pending = loading.get(key);
    if (pending) return pending;
    const read = deps.store.prs
      .load(repoNameOf(repo), pr)
      .then((stored) => {
        if (runs.has(key)) return runs.get(key);
        if (!stored) return undefined;
        const run = fromSnapshot(stored.snapshot);
        runs.set(key, run);
        return run;
      })
      .finally(() => loading.delete(key));
    loading.set(key, read);
    return read;
  };

  const isCurrent = (run: PrRun) => runs.get(`${run.repo}#${run.pr}`) === run;

  /** The statuses a run's rows call for: per project, the two aggregates, and each applied project's apply status. */
  const statusesOf = (run: PrRun, row: SummaryProject | null): CommitStatus[] => {
    const rows = row ? [row] : [...run.rows.values()];
    const perRow = rows.flatMap((r) => [
      statusOf(r),
      r.state.status === "applied" ? ({ context: applyContext(r.name), state: "success", description: "applied" } as const) : null,
    ]);
    const all = row ? perRow : [...perRow, aggregateStatus(rows), applyAggregateStatus(rows, run.prState)];
    return all.filter((s): s is CommitStatus => s !== null);
  };

  const persist = async (run: PrRun): Promise<number | null> => {
    if (!isCurrent(run)) return null;
    try {
      return await deps.store.prs.save(toSnapshot(run));
    } catch (err) {
      deps.log.warn({ err, repo: run.repo, pr: run.pr }, "could not save a pull request's state");
      return null;
    }
  };

  const markPublished = (run: PrRun, version: number | null) =>
    version === null ? Promise.resolve() : deps.store.prs.markPublished(run.repo, run.pr, version).catch((err: unknown) => deps.log.warn({ err, pr: run.pr }, "could not record a published summary"));

  /** Persists and posts the summary; once GitHub holds it, its plans count as posted (an approval covers only what was shown). */
  const publishSummary = async (repo: RepoRef, run: PrRun): Promise<{ written: boolean; version: number | null }> => {
    const version = await persist(run);
    const shown = [...run.planIds.values()].filter((id) => !run.posted.has(id));
    const written = await deps.publisher.publish(repo, run.pr, summaryInput(run, deps.webBaseUrl), async () => {
      if (shown.length === 0) return;
      try {
        await deps.store.plans.markPosted(shown);
        for (const id of shown) run.posted.add(id);
      } catch (err) {
        // Not recorded means "never shown": approvals cannot cover it, which is the safe side.
        deps.log.warn({ err, pr: run.pr }, "could not record which plans the summary shows");
      }
    });
    return { written, version };
  };

  const setStatuses = async (repo: RepoRef, run: PrRun, statuses: readonly CommitStatus[]): Promise<boolean> => {
    try {
      for (const status of statuses) await deps.vcs.setStatus(repo, run.headSha, status);
      return true;
    } catch (err) {
      deps.log.warn({ err, repo: run.repo, pr: run.pr }, "could not set a commit status");
      return false;
    }
  };

  /** The statuses and/or checks of the run (of one row); true once the host shows all of them. */
  const showResults = async (repo: RepoRef, run: PrRun, row: SummaryProject | null, statuses: readonly CommitStatus[]): Promise<boolean> => {
    const mode = deps.results?.mode ?? "statuses";
    const statusesOk = mode === "checks" || (await setStatuses(repo, run, statuses));
    if (mode === "statuses" || !deps.results) return statusesOk;
    const checks = await deps.results.checks.publish(repo, { pr: run.pr, headSha: run.headSha }, checkReportsOf([...run.rows.values()], row, run.prState));
    return checks.ok && statusesOk;
  };

  const service: PrStateService = {
    async begin(repo, pr) {
      const existing = await load(repo, pr.number);
      if (existing && existing.headSha === pr.headSha && existing.prState === "open") return existing;
      const run = newRun(repo, pr);
      runs.set(prKeyOf(repo, pr.number), run);
      return run;
    },
    get: load,
    adopt(run) {
      runs.set(`${run.repo}#${run.pr}`, run);
    },
    isCurrent,
    forget(repo, pr) {
      runs.delete(prKeyOf(repo, pr));
    },

    async publish(repo, run) {
      const { written, version } = await publishSummary(repo, run);
      // Complete when the statuses set in full last time still hold (e.g. only the gate column changed).
      if (written && run.statusesShown === JSON.stringify(statusesOf(run, null))) await markPublished(run, version);
    },

    async setStatus(repo, run, row) {
      await showResults(repo, run, row, statusesOf(run, row));
    },

    async publishAll(repo, run) {
      const { written, version } = await publishSummary(repo, run);
      const statuses = statusesOf(run, null);
      if (!(await showResults(repo, run, null, statuses)) || !written) return;
      const shown = JSON.stringify(statuses);
      if (run.statusesShown === shown) return markPublished(run, version);
      // Recorded with the state, so a later summary-only update (and a restart) knows them.
      run.statusesShown = shown;
      await markPublished(run, await persist(run));
    },

    async updateGates(repo, run) {
      if (run.author === null) return;
      try {
        const states = await gateStates(
          { vcs: deps.vcs, store: deps.store },
          { repo, approverTeams: run.approverTeams, approvalRules: run.approvalRules, pr: { number: run.pr, author: run.author, headSha: run.headSha }, baseProtected: run.trust?.protected ?? true, rows: [...run.rows.values()] },
        );
        for (const [project, gate] of states) updateRow(run, project, { gate });
      } catch (err) {
        deps.log.warn({ err, pr: run.pr }, "could not read reviews for the gate column");
      }
    },

    async markApplied(repo, pr, project, counts) {
      const run = await load(repo, pr);
      if (!run || !updateRow(run, project, { state: { status: "applied", counts }, gate: "applied" })) return;
      await service.publishAll(repo, run);
    },

    async lockReleased(repo, pr, project) {
      const run = await load(repo, pr);
      if (!run || !updateRow(run, project, { lock: "not-held" })) return;
      await service.publish(repo, run);
    },

    async everythingApplied(repo, pr) {
      const states = [...((await load(repo, pr))?.rows.values() ?? [])].map((r) => r.state.status);
      return states.includes("applied") && states.every((s) => s === "applied" || s === "no-changes");
    },
  };
  return service;
}
