import type { DriftOutcome, DriftState } from "../../domain/drift/drift-outcome.js";
import type { PlanCounts } from "../../domain/plan/plan-outcome.js";
import type { PolicyResult } from "../../domain/policy/policy-result.js";

/** One drift check of one project; `state: "started"` until it finishes. */
export interface DriftCheckRecord {
  readonly id: number;
  readonly repo: string;
  readonly project: string;
  /** The default branch's head that was planned. */
  readonly sha: string;
  /** The schedule's minute this check is for: a slot is checked once, whatever restarts happen. */
  readonly scheduledFor: number;
  readonly state: DriftState | "started";
  readonly counts: PlanCounts | null;
  readonly diff: string | null;
  /** The default branch's policies on a drifted check's plan; null otherwise. */
  readonly policy: PolicyResult | null;
  readonly error: string | null;
  /** The pull request holding the project's lock while it was checked. */
  readonly lockedBy: number | null;
  readonly startedAt: number;
  readonly checkedAt: number | null;
  /** How many restarts found this check unfinished and ran it again. */
  readonly resumes: number;
}

export interface NewDriftCheck {
  readonly repo: string;
  readonly project: string;
  readonly sha: string;
  readonly scheduledFor: number;
}

export type DriftBegin = { readonly status: "started"; readonly id: number } | { readonly status: "busy"; readonly running: DriftCheckRecord };

/** The history of drift checks, written before a check runs and completed after. */
export interface DriftResults {
  /**
   * Records a check as started, before it runs, so a crash leaves it to be resumed. Atomic: while
   * a project has a started check, another is refused ("busy") rather than run twice.
   */
  begin(check: NewDriftCheck): Promise<DriftBegin>;
  finish(id: number, outcome: DriftOutcome, lockedBy: number | null): Promise<DriftCheckRecord>;
  /**
   * Checks a stopped process left started, each counted as resumed once more; those resumed
   * `maxResumes` times already are finished as errors instead (a check that kills the process
   * must not crash-loop it).
   */
  resumeUnfinished(maxResumes: number): Promise<DriftCheckRecord[]>;
  /** The newest check of each project (of one repository, or all), ordered by repo and project. */
  latest(repo?: string): Promise<DriftCheckRecord[]>;
  /** A project's checks, newest first. */
  history(repo: string, project: string, limit?: number): Promise<DriftCheckRecord[]>;
  /** The repositories tfgate has seen pull requests of: those drift checks cover. */
  repositories(): Promise<string[]>;
}
