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
