import type { DriftCheckEvent, DriftListener } from "../app/check-drift.js";
import { checkDriftNow, type CheckDriftNowInput, type CheckDriftNowResult } from "../app/check-drift-now.js";
import { createDriftIssueListener } from "../app/drift-issues.js";
import { driftNotification } from "../app/drift-notification.js";
import type { Notifier } from "../app/ports/notifier.js";
import { scrubbingDriftResults } from "../app/scrubbing-drift-results.js";
import type { SecretScrubber } from "../domain/render/secret-scrubber.js";
import { createDriftScheduler, type DriftScheduler } from "../app/drift-scheduler.js";
import type { InfrastructureDiverged } from "../app/ports/infrastructure-diverged.js";
import type { Logger } from "../app/ports/logger.js";
import type { WebhookDeps } from "../app/webhook-deps.js";
import type { ServerConfig } from "../config/server-config.js";
import type { openStore } from "../adapters/store/open-store.js";
import type { createPlanEngine} from "./plan-engine.js";
import { repoKeyFor } from "./plan-engine.js";
import { holderGone, replicaHolder } from "./replica-holder.js";

export interface DriftWiringParts {
  readonly engine: ReturnType<typeof createPlanEngine>;
  readonly store: ReturnType<typeof openStore>;
  readonly vcs: WebhookDeps["vcs"];
  readonly branches: WebhookDeps["branches"];
  readonly notifier: Notifier;
  /** Removes tfgate's secrets from a drift check's texts before they are stored. */
  readonly scrub: SecretScrubber;
  /** The code host's web address: drift issues link the pull request holding a lock. */
  readonly webBaseUrl?: string;
}

export interface DriftWiring {
  /** Null with TFGATE_DRIFT=false. */
  readonly scheduler: DriftScheduler | null;
  /** One check outside the schedule; refused with TFGATE_DRIFT=false. */
  checkNow(input: CheckDriftNowInput): Promise<CheckDriftNowResult>;
  /** Queues a check of the projects a closed pull request left disagreeing with their branch. */
  readonly onInfrastructureDiverged: InfrastructureDiverged;
}

/**
 * Drift checks on schedule and on demand, sharing one set of dependencies and one list of what
 * follows a result. TFGATE_DRIFT=false: none at all, whatever tfgate.yaml says. Every replica runs
 * a scheduler; the store's lease lets one of them check at a time.
 */
export function createDriftWiring(config: ServerConfig, log: Logger, parts: DriftWiringParts): DriftWiring {
  const { engine, store } = parts;
  const drift = scrubbingDriftResults(store.drift, parts.scrub);
  const pageUrl = config.publicUrl ? `${config.publicUrl}/ui/drift` : null;
  // In order, each on its own: one failing (GitHub down) must not keep the others from running.
  const listeners: readonly (readonly [string, DriftListener])[] = [
    ["log", async ({ record, previous }) => log.info({ drift: { repo: record.repo, project: record.project, state: record.state, was: previous?.state ?? null, lockedBy: record.lockedBy } }, "drift checked")],
    ["issues", createDriftIssueListener({ vcs: parts.vcs, issues: store.driftIssues, drift, log, webBaseUrl: parts.webBaseUrl })],
    ["notify", async (event) => {
      const n = driftNotification(event, pageUrl);
      if (n) parts.notifier.notify(n);
    }],
  ];
  const afterCheck = async (event: DriftCheckEvent): Promise<void> => {
    for (const [name, listener] of listeners) {
      await listener(event).catch((err: unknown) => log.error({ err, listener: name, drift: { repo: event.record.repo, project: event.record.project } }, "a drift listener failed"));
    }
  };
  const deps = { ...engine, branches: parts.branches, locks: store.locks, drift, vcs: parts.vcs, log, repoKeyFor, afterCheck };
  const settings = { gitBaseUrl: config.gitBaseUrl, planDir: engine.planDir, stateDir: engine.stateDir, concurrency: config.drift.concurrency };
  const scheduler = config.drift.enabled ? createDriftScheduler({ ...deps, leases: store.leases, holderGone }, { ...config.drift, ...settings, holder: replicaHolder() }) : null;

  const checkNow = async (input: CheckDriftNowInput): Promise<CheckDriftNowResult> => {
    if (!config.drift.enabled) return { status: "refused", message: "drift checks are turned off on this server (TFGATE_DRIFT=false)" };
    return checkDriftNow(deps, settings, input);
  };
  const onInfrastructureDiverged: InfrastructureDiverged = (repo, projects, reason) => {
    if (!config.drift.enabled) return Promise.resolve();
    // Not waited for: the closing delivery is done once the check is under way.
    void checkNow({ repo: `${repo.owner}/${repo.name}`, projects, skipUnknown: true }).then(
      (r) => r.status === "refused" && log.warn({ repo, projects, reason, problem: r.message }, "drift check after a pull request closed: refused"),
      (err: unknown) => log.error({ err, repo, projects, reason }, "drift check after a pull request closed failed"),
    );
    return Promise.resolve();
  };
  return { scheduler, checkNow, onInfrastructureDiverged };
}
