import type { ProjectCredentials } from "../domain/project-credentials.js";
import type { JobQueue } from "./job-queue.js";
import type { PrContextDeps } from "./pr-context.js";
import type { PrStateService } from "./pr-state-service.js";
import type { HclValidator } from "./ports/hcl-validator.js";
import type { InfrastructureDiverged } from "./ports/infrastructure-diverged.js";
import type { Locks } from "./ports/locks.js";
import type { Logger } from "./ports/logger.js";
import type { Notifier } from "./ports/notifier.js";
import type { ProviderSchemas } from "./ports/provider-schemas.js";
import type { RegoEngine } from "./ports/rego-engine.js";
import type { RunLogs } from "./ports/run-logs.js";
import type { Store } from "./ports/store.js";
import type { Terraform } from "./ports/terraform.js";

/** What the pull-request use cases (plan, apply, close, unlock, gate refresh) work with: ports and settings, nothing else. */
export interface PullRequestDeps extends PrContextDeps {
  readonly terraform: Terraform;
  readonly schemas: ProviderSchemas;
  readonly rego: RegoEngine;
  readonly validator: HclValidator;
  readonly queue: JobQueue;
  readonly newId: () => string;
  /** Each project's credentials per stage (from the server's credentials file). */
  readonly credentials: ProjectCredentials;
  readonly store: Store;
  readonly locks: Locks;
  readonly prStates: PrStateService;
  readonly log: Logger;
  readonly runLogs: RunLogs;
  /** Outgoing notifications (apply results, merged-unapplied, drift); fire and forget. */
  readonly notifier: Notifier;
  /**
   * True once the server is stopping: a job cancelled then is left "running" in the store, so the
   * next start's recovery marks it interrupted and tells its pull request (comment /plan).
   */
  readonly shuttingDown: () => boolean;
  /**
   * A pull request closed with its branch and the infrastructure disagreeing (merged unapplied,
   * or closed after an apply): where the drift check will plug in. Absent: nothing more happens
   * than the comment, the `tfgate/apply` status and the audit entry.
   */
  readonly onInfrastructureDiverged?: InfrastructureDiverged;
  readonly settings: PrContextDeps["settings"] & {
    /** The code host's web address (links to pull requests). */
    readonly webBaseUrl: string;
    readonly planDir: string;
    readonly stateDir: string;
    /** Where the web UI is reachable: summaries and replies then link full logs. */
    readonly publicUrl: string | null;
    /**
     * How long a run may take before its "queued/planning" summary and pending statuses are
     * posted. GitHub asks for a second between writes (the throttling plugin enforces it), so a
     * plan that finishes sooner gets only its final summary and statuses: fewer writes, sooner.
     */
    readonly progressDelayMs: number;
  };
}
