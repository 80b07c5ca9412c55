/** The plans part of the Store port (see store.ts): saved plans, what an approval covers. */
import type { PlanCounts } from "../../domain/plan/plan-outcome.js";
import type { PolicyResult } from "../../domain/policy/policy-result.js";

export type PlanState = "current" | "superseded" | "applied" | "discarded";

/** A saved plan as the summary shows it; stored as JSON. */
export type PlanSummary =
  | { readonly status: "changes"; readonly counts: PlanCounts; readonly diff?: string }
  | { readonly status: "no-changes" };

export interface PlanFile {
  /** Absolute path of the saved plan (mode 0600, outside any workspace). */
  readonly path: string;
  readonly sha256: string;
}

export interface NewPlan {
  readonly repo: string;
  readonly pr: number;
  readonly project: string;
  readonly headSha: string;
  /** null for a plan without changes: nothing to apply, nothing kept. */
  readonly file: PlanFile | null;
  /** What the summary comment shows of it (`diff`: tofu's text of the saved plan). */
  readonly summary: PlanSummary;
  /** null when no policy was evaluated. */
  readonly policy: PolicyResult | null;
  /** The plan's content hash (64 hex; see planContentHash); absent or null when unknown. */
  readonly contentHash?: string | null;
}

/** A saved plan as stored: what was saved, plus its id, state and times. */
export interface PlanRecord extends Omit<NewPlan, "contentHash"> {
  readonly id: number;
  readonly contentHash: string | null;
  /** When the summary comment first showed this plan's result; null while it never has. */
  readonly postedAt: number | null;
  readonly state: PlanState;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PlanStore {
  /** Saves a plan as the current one of its repo+PR+project; the previous current one is superseded. */
  save(plan: NewPlan): Promise<PlanRecord>;
  current(repo: string, pr: number, project: string): Promise<PlanRecord | null>;
  /** The newest plan of each project of the PR, whatever its state, ordered by project. */
  forPr(repo: string, pr: number): Promise<PlanRecord[]>;
  /** Every plan of the PR, oldest first (which plan did an approval follow?). */
  history(repo: string, pr: number): Promise<PlanRecord[]>;
  /** Records that the summary now shows these plans; a plan keeps the first time it was shown. */
  markPosted(ids: readonly number[]): Promise<void>;
  /**
   * A random key of this database (32 bytes, made once): content hashes are keyed with it, so a
   * hash shown on GitHub cannot be used to guess a sensitive value the plan holds.
   */
  contentKey(): Promise<Uint8Array>;
  /**
   * On close: every plan of the PR not yet discarded or applied becomes "discarded". Returns the
   * plan files the caller should delete (also those of applied plans, in case a crash kept one),
   * except the file of a plan whose apply is still queued or running.
   */
  discardPr(repo: string, pr: number): Promise<string[]>;
}
