/**
 * The pull-request state part of the Store port: what each PR's summary comment and commit
 * statuses show, kept durably so that a restart (or another replica) continues from it instead of
 * from nothing. Versions say what the code host has seen: a state saved but not yet published
 * is re-published after a crash.
 */
import type { ApprovalRule } from "../../domain/apply/project-requirements.js";
import type { DeletedProject } from "../../domain/projects/detect-affected.js";
import type { SummaryProject } from "../../domain/render/summary-input.js";

/** One pull request's run for its current head commit, as plain JSON data. */
export interface PrSnapshot {
  readonly repo: string;
  readonly pr: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly prState: "open" | "closed" | "merged";
  /** The PR's author (a self-approval never counts); null until a plan ran. */
  readonly author: string | null;
  readonly rows: readonly SummaryProject[];
  readonly deleted: readonly DeletedProject[];
  readonly configChanged: boolean;
  /** Why this head could not be planned; empty once it could. */
  readonly problems: readonly string[];
  /** Detection's warnings (a `roots` glob matching nothing, a module it cannot follow); absent in states saved before they were kept. */
  readonly warnings?: readonly string[];
  /** Keys of one-off comments already posted for this head (e.g. "locked by #12"). */
  readonly notices: readonly string[];
  /** The saved plan each row shows, by project: marked posted once the summary shows it. */
  readonly planIds: Readonly<Record<string, number>>;
  /** Where configuration was read, and whether the base is protected; null before detection. */
  readonly trust: { readonly configBranch: string; readonly protected: boolean } | null;
  /** Approver teams (server's and the trusted tfgate.yaml's) when this head was planned. */
  readonly approverTeams: readonly string[];
  /** Each project's approval rules then; absent in states saved before they were kept. */
  readonly approvalRules?: Readonly<Record<string, readonly ApprovalRule[]>>;
  /** The commit statuses last set in full (a signature): a summary-only update that leaves them so is complete. */
  readonly statusesShown: string | null;
}

export interface StoredPrState {
  readonly snapshot: PrSnapshot;
  /** Raised by every save. */
  readonly version: number;
  /** The newest version whose summary and statuses are all on the code host. */
  readonly publishedVersion: number;
  readonly updatedAt: number;
}

export interface PrStates {
  load(repo: string, pr: number): Promise<StoredPrState | null>;
  /** Replaces the PR's state and returns its new version. */
  save(snapshot: PrSnapshot): Promise<number>;
  /** The code host shows `version` (or a newer one): it is no longer stale. */
  markPublished(repo: string, pr: number, version: number): Promise<void>;
  /** What a restart must look at: states saved but not published, and every open PR's state. */
  unsettled(): Promise<StoredPrState[]>;
}
