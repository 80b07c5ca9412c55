import type { DeliveryIdentity } from "../domain/delivery-identity.js";

/**
 * Ports for durable state: what the server remembers across restarts. `Store` groups small
 * role-named parts (deliveries, jobs, plans, audit); `Locks` is its own port because lock policy
 * (who may plan or apply a project) is decided by use cases that need nothing else from the store.
 *
 * Methods are async so another backend could implement them; the SQLite adapter is synchronous
 * inside and atomic per call. Times are milliseconds since the epoch.
 */

import type { PlanRecord, PlanStore } from "./plan-store-port.js";

export type StoreErrorCode =
  /** An argument is malformed (bad repo name, SHA, id, JSON, limit...). Nothing was written. */
  | "invalid-input"
  /** The record named by an id does not exist. */
  | "not-found"
  /** A record with this id already exists. */
  | "conflict"
  /** A job state change the lifecycle forbids (e.g. a finished job cannot restart). */
  | "invalid-transition"
  /** The database was written by a newer tfgate; opening it could corrupt it. */
  | "schema-too-new"
  /** The database file cannot be opened or is not a tfgate database. */
  | "open-failed"
  /** Another process held the database longer than the busy timeout. */
  | "busy"
  /** Any other database failure; `cause` holds the driver's error. */
  | "store-failed";

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

/* ---------------------------------------------------------------- deliveries */

/**
 * Deliveries seen, by `X-GitHub-Delivery` id and by the payload's own identity (a replay of a
 * captured delivery under a new id has the same identity). An identity whose event time is older
 * than what the log still remembers counts as seen: it cannot be shown to be new.
 */
export interface DeliveryLog {
  /** Remembers a delivery; "duplicate" when its id or its identity was seen before (atomic). */
  record(deliveryId: string, event: string, identity?: DeliveryIdentity | null): Promise<"new" | "duplicate">;
  /** Whether the id or the identity was recorded (a read: in WAL mode it never waits for a writer). */
  seen(deliveryId: string, identity?: DeliveryIdentity | null): Promise<boolean>;
}

/* ---------------------------------------------------------------------- jobs */

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

/* --------------------------------------------------------------------- plans */

export type { NewPlan, PlanFile, PlanRecord, PlanState, PlanStore } from "./plan-store-port.js";

/* --------------------------------------------------------------------- audit */

export interface AuditInput {
  /** GitHub login, or "tfgate" for the server itself. */
  readonly actor: string;
  /** Lower-case word(s) with dashes: "apply", "unlock", ... */
  readonly action: string;
  readonly repo: string;
  readonly pr?: number;
  readonly project?: string;
  readonly headSha?: string;
  readonly planSha256?: string;
  /** Lower-case word(s) with dashes: "succeeded", "failed", "denied", "interrupted", ... */
  readonly result: string;
  readonly durationMs?: number;
  /** JSON-serialisable; never put secrets here. */
  readonly detail?: unknown;
}

export interface AuditRecord {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly repo: string;
  readonly pr: number | null;
  readonly project: string | null;
  readonly headSha: string | null;
  readonly planSha256: string | null;
  readonly result: string;
  readonly durationMs: number | null;
  readonly detail: unknown;
}

export interface AuditQuery {
  /** 1–1000; 100 when omitted. */
  readonly limit?: number;
  /** Only records with an id below this one (paging backwards from the newest). */
  readonly before?: number;
  readonly repo?: string;
  readonly pr?: number;
}

/** Append-only: the database refuses updates and deletes of audit rows. */
export interface AuditLog {
  append(entry: AuditInput): Promise<AuditRecord>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<AuditRecord[]>;
}

export interface Store {
  readonly deliveries: DeliveryLog;
  readonly jobs: JobStore;
  readonly plans: PlanStore;
  readonly audit: AuditLog;
}

/* --------------------------------------------------------------------- locks */

export interface LockRecord {
  readonly repo: string;
  readonly project: string;
  readonly pr: number;
  readonly acquiredAt: number;
}

export type LockAcquisition =
  | { readonly status: "acquired" }
  | { readonly status: "held"; readonly by: number; readonly since: number };

export type LockRelease =
  | { readonly status: "released"; readonly lock: LockRecord }
  | { readonly status: "not-locked" }
  /** `release` named a PR, and another PR holds the lock: nothing changed. */
  | { readonly status: "held"; readonly by: number };

/** One lock per repo+project, held by a PR from its first plan until merge, close or /unlock. */
export interface Locks {
  /** Atomic; a PR that already holds the lock acquires it again. */
  acquire(repo: string, project: string, pr: number): Promise<LockAcquisition>;
  /** With `pr`, releases only that PR's lock; without, whoever holds it (operators). */
  release(repo: string, project: string, pr?: number): Promise<LockRelease>;
  /** Returns the locks it released. */
  releaseAllForPr(repo: string, pr: number): Promise<LockRecord[]>;
  /** Every lock, or one repository's, ordered by repo and project. */
  list(repo?: string): Promise<LockRecord[]>;
}
