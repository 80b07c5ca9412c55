import type { PlanRecord } from "./plans.js";

export type JobKind = "plan" | "apply";
export type ActiveJobState = "queued" | "running";
export type FinishedJobState = "succeeded" | "failed" | "cancelled" | "interrupted";
export type JobState = ActiveJobState | FinishedJobState;

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly repo: string;
  readonly pr: number;
  readonly project: string;
  readonly headSha: string;
  /** The plan an apply job applies; null for plan jobs. */
  readonly planId: number | null;
  /** Who asked for it (GitHub login), when known. */
  readonly actor: string | null;
  readonly state: JobState;
  readonly error: string | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly updatedAt: number;
}

/** A plan job. Apply jobs are created only by `claimApply`, so no path skips its checks. */
export interface NewPlanJob {
  readonly id: string;
  readonly repo: string;
  readonly pr: number;
  readonly project: string;
  readonly headSha: string;
  readonly actor?: string;
}

export interface InterruptedJob {
  /** The job as it is now (state "interrupted"). */
  readonly job: JobRecord;
  readonly previousState: ActiveJobState;
}

export interface InterruptedApply {
  readonly jobId: string;
  readonly pr: number;
  readonly project: string;
  /** When the restart marked it interrupted. */
  readonly interruptedAt: number;
  /** When its pull request was told; null if that failed. */
  readonly reportedAt: number | null;
}

export interface ApplyClaimRequest {
  readonly repo: string;
  readonly pr: number;
  readonly project: string;
  readonly headSha: string;
  /** The sha256 of the plan file the gate approved; the claim fails if it is not the current plan. */
  readonly planSha256: string;
  readonly actor: string;
}

export type ApplyClaim =
  /** This caller, and only this one, runs the apply: the job is queued, bound to `plan`. */
  | { readonly status: "claimed"; readonly jobId: string; readonly plan: PlanRecord }
  /** An apply of this repo+project is queued or running (any PR). */
  | { readonly status: "already-applying"; readonly jobId: string }
  /** This very plan was applied successfully. */
  | { readonly status: "already-applied"; readonly jobId: string | null }
  /**
   * An apply of this plan had started when tfgate stopped (crash, kill -9): infrastructure may be
   * half-changed, so this plan is never applied again; a human checks, then runs /plan. (A failed
   * apply does not block a retry: tofu itself refuses a saved plan that became stale.)
   */
  | { readonly status: "apply-interrupted"; readonly jobId: string }
  /** No current plan with this head SHA and sha256 (a push or a newer plan came in between). */
  | { readonly status: "plan-not-current"; readonly current: { readonly headSha: string; readonly sha256: string | null } | null }
  /** The PR does not hold the project's lock (released or taken in between). */
  | { readonly status: "lock-not-held"; readonly heldBy: number | null };

export interface JobStore {
  /** Creates a queued plan job; StoreError("conflict") if the id exists. */
  create(job: NewPlanJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  /**
   * queued → running | failed | cancelled | interrupted; running → any finished state. A finished
   * job never changes again (StoreError "invalid-transition"). An apply job that succeeds marks
   * its plan applied in the same transaction.
   */
  transition(id: string, to: JobState, detail?: { readonly error?: string }): Promise<JobRecord>;
  /**
   * At startup: every queued or running job becomes "interrupted" and is returned, so each PR can
   * be told. Interrupted applies are also written to the audit log in the same transaction.
   * Call it only when no other server process uses the same database.
   */
  markInterrupted(): Promise<InterruptedJob[]>;
  /** Atomically decides which of many concurrent `/apply` commands starts the apply. */
  claimApply(request: ApplyClaimRequest): Promise<ApplyClaim>;
  /** Records that the pull requests were told of these interrupted jobs (now). */
  markReported(ids: readonly string[]): Promise<void>;
  /** Every interrupted apply of the repository's projects, oldest first. */
  interruptedApplies(repo: string): Promise<InterruptedApply[]>;
  /** Newest first (the web UI's runs page). */
  recent(query?: JobQuery): Promise<JobRecord[]>;
}

export interface JobQuery {
  /** 1–1000; 100 when omitted. */
  readonly limit?: number;
  readonly repo?: string;
  readonly pr?: number;
}
