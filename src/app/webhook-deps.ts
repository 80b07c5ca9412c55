import type { CheckDriftNowInput, CheckDriftNowResult } from "./check-drift-now.js";
import type { DriftIssues } from "./ports/drift-issues.js";
import type { PullRequestDeps } from "./pull-request-deps.js";

/**
 * What webhook events and comment commands reach: the pull-request use cases' ports and settings
 * (each command or event file calls its use case directly), plus what only event routing reads.
 */
export interface WebhookDeps extends PullRequestDeps {
  /** Plan draft pull requests automatically (default: skip until ready for review). */
  readonly planDrafts: boolean;
  /** A drift check outside the schedule (`/plan` on a drift issue); absent: such comments are ignored. */
  readonly checkDriftNow?: (input: CheckDriftNowInput) => Promise<CheckDriftNowResult>;
  /** Which issues are drift issues, and of which project. */
  readonly driftIssues?: DriftIssues;
}

/** What comment commands use. */
export type CommandDeps = PullRequestDeps;
