/**
 * The check-run part of the Store port: which check on the code host shows which of tfgate's
 * results, so that a later publish (after a restart too) updates that check instead of adding a
 * second one of the same name, and a "Re-run" click can be traced back to its pull request.
 */

export interface CheckRunRecord {
  readonly repo: string;
  /** null for a check set outside a pull request's run (an apply's own failure before any plan check). */
  readonly pr: number | null;
  readonly headSha: string;
  /** The check's name on the host: `tfgate/plan: <project>`, `tfgate/plan`… */
  readonly name: string;
  readonly checkRunId: number;
  /** A digest of what the check shows now: an unchanged check is not written again. */
  readonly signature: string;
  /** A digest of its annotations: the host only adds annotations, so changed ones need a new check. */
  readonly annotationsKey: string;
  /** Whether the check is completed: a completed check is not reopened, a new one is created. */
  readonly completed: boolean;
}

export interface CheckRuns {
  /** Every check recorded for a commit of a repository. */
  forHead(repo: string, headSha: string): Promise<CheckRunRecord[]>;
  /** The record of a check the host knows by `checkRunId`; null for a check tfgate did not create. */
  byId(repo: string, checkRunId: number): Promise<CheckRunRecord | null>;
  /** Records (or replaces) the check of that name on that commit. */
  save(record: CheckRunRecord): Promise<void>;
}
