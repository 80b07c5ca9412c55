import type { PullRequestDeps } from "./pull-request-deps.js";

/**
 * What webhook events and comment commands reach: the pull-request use cases' ports and settings
 * (each command or event file calls its use case directly), plus what only event routing reads.
 */
export interface WebhookDeps extends PullRequestDeps {
  /** Plan draft pull requests automatically (default: skip until ready for review). */
  readonly planDrafts: boolean;
}

/** What comment commands use. */
export type CommandDeps = PullRequestDeps;
