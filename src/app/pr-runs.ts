import { compareText } from "../domain/compare-text.js";
import type { PlanCounts } from "../domain/plan/plan-outcome.js";
import type { PolicyResult } from "../domain/policy/policy-result.js";
import type { DeletedProject } from "../domain/projects/detect-affected.js";
import type { ProjectRunState, SummaryInput, SummaryProject } from "../domain/render/summary-input.js";
import type { ChangeRequest, RepoRef } from "./ports/vcs.js";
import type { Store } from "./ports/store.js";

/** What the summary of one pull request shows, for its current head commit. */
export interface PrRun {
  readonly pr: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly rows: Map<string, SummaryProject>;
  deleted: readonly DeletedProject[];
  configChanged: boolean;
  prState: "open" | "closed" | "merged";
  /** The PR's author (a self-approval never counts). */
  author?: string;
  /** One-off comments already posted for this head (e.g. "locked by #12"). */
  readonly notices: Set<string>;
  /** Why this head could not be planned (detection failed); empty once it could. */
  problems: readonly string[];
  /** The saved plan each row shows (its record id): marked posted once the summary shows it. */
  readonly planIds: Map<string, number>;
  /** Plan ids already recorded as posted. */
  readonly posted: Set<number>;
  /**
   * Where configuration was read, and whether the base is protected (an unprotected base is
   * planned, never applied); unknown until the run's detection.
   */
  trust?: { readonly configBranch: string; readonly protected: boolean };
}

export const repoNameOf = (repo: RepoRef) => `${repo.owner}/${repo.name}`;
export const prKeyOf = (repo: RepoRef, pr: number) => `${repo.owner}/${repo.name}#${pr}`;

/**
 * The live state behind each summary comment, in memory: rows change many times a second while
 * plans run, and the durable facts (jobs, plans, locks) are in the store. After a restart a
 * closed PR's summary is rebuilt from the stored plans.
 */
export function createPrRuns() {
  const runs = new Map<string, PrRun>();

  return {
    /** The run for this head: the same one when the head did not move (a `/plan` of a subset). */
    begin(repo: RepoRef, pr: ChangeRequest): PrRun {
      const key = prKeyOf(repo, pr.number);
      const existing = runs.get(key);
      if (existing && existing.headSha === pr.headSha) return existing;
      const run: PrRun = { pr: pr.number, headSha: pr.headSha, baseRef: pr.baseRef, rows: new Map(), deleted: [], configChanged: false, prState: "open", notices: new Set(), problems: [], planIds: new Map(), posted: new Set() };
      runs.set(key, run);
      return run;
    },
    get(repo: RepoRef, pr: number): PrRun | undefined {
      return runs.get(prKeyOf(repo, pr));
    },
    /** False once a newer push replaced the run: its late results must not touch the summary. */
    isCurrent(run: PrRun): boolean {
      for (const r of runs.values()) if (r === run) return true;
      return false;
    },
    forget(repo: RepoRef, pr: number): void {
      runs.delete(prKeyOf(repo, pr));
    },
    setRow(run: PrRun, row: SummaryProject): void {
      run.rows.set(row.name, row);
    },
    updateRow(run: PrRun, project: string, patch: Partial<Pick<SummaryProject, "state" | "policy" | "lock" | "gate" | "logUrl" | "planHash">>): SummaryProject | undefined {
      const row = run.rows.get(project);
      if (!row) return undefined;
      const next = { ...row, ...patch };
      run.rows.set(project, next);
      return next;
    },
    firstNotice(run: PrRun, key: string): boolean {
      if (run.notices.has(key)) return false;
      run.notices.add(key);
      return true;
    },
    summaryInput(repo: RepoRef, run: PrRun, webBaseUrl: string): SummaryInput {
      return {
        repo: repoNameOf(repo),
        repoUrl: `${webBaseUrl}/${repoNameOf(repo)}`,
        pr: run.pr,
        headSha: run.headSha,
        baseRef: run.baseRef,
        projects: [...run.rows.values()].sort((a, b) => compareText(a.name, b.name)),
        deleted: run.deleted,
        configChanged: run.configChanged,
        prState: run.prState,
        problems: run.problems,
        ...(run.trust ? { configRef: run.trust.configBranch, neverApplied: !run.trust.protected } : {}),
      };
    },
    /** A summary for a PR this process never saw (closed after a restart): from the stored plans. */
    async fromStore(repo: RepoRef, pr: ChangeRequest, store: Store): Promise<PrRun> {
      const run = this.begin(repo, pr);
      for (const plan of await store.plans.forPr(repoNameOf(repo), pr.number)) {
        if (plan.headSha !== pr.headSha) continue;
        const s = plan.summary as { status?: string; counts?: PlanCounts; diff?: string } | null;
        const state: ProjectRunState =
          s?.status === "changes" && s.counts ? { status: "changes", counts: s.counts, diff: s.diff ?? "" } : { status: "no-changes" };
        run.rows.set(plan.project, { name: plan.project, dir: "", state, policy: plan.policy as PolicyResult | null, lock: "not-held", ...(plan.contentHash ? { planHash: plan.contentHash } : {}) });
      }
      return run;
    },
  };
}
