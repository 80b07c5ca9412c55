import type { ApplyCommand } from "./apply-pull-request.js";
import type { Logger } from "./ports/logger.js";
import type { Vcs } from "./ports/vcs.js";
import type { PullRequestRuns } from "./pull-request-runs.js";

/**
 * What webhook events and comment commands reach. The use cases are named here and called in one
 * place each (one command or event file), so replacing one (`runs.plan` by a plan use case) is a
 * change to this type and to the one line that calls it.
 */
export interface WebhookDeps {
  readonly vcs: Vcs;
  readonly runs: PullRequestRuns;
  readonly apply: (cmd: ApplyCommand) => Promise<void>;
  readonly log: Logger;
  /** Plan draft pull requests automatically (default: skip until ready for review). */
  readonly planDrafts: boolean;
}

/** The part of WebhookDeps that comment commands use. */
export type CommandDeps = Pick<WebhookDeps, "vcs" | "runs" | "apply">;
