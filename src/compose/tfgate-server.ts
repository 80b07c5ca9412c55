import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRemoteBranches } from "../adapters/git/remote-branches.js";
import type { GitBaseEnv } from "../adapters/git/run-git.js";
import { createGitHubApp } from "../adapters/github/github-app.js";
import { startWebhookProcess } from "../adapters/http/webhook-process-server.js";
import { openStore, sqliteLocation } from "../adapters/store/open-store.js";
import { createFileRunLogs } from "../adapters/logs/file-run-logs.js";
import { createTfgateMetrics } from "../adapters/metrics/tfgate-metrics.js";
import { createWebhookNotifier } from "../adapters/notify/webhook-notifier.js";
import { createWebRoutes } from "../adapters/http/ui/web-routes.js";
import { startWebServer } from "../adapters/http/web-server.js";
import { releaseLockFromUi } from "../app/release-lock-from-ui.js";
import { createSecretScrubber } from "../domain/render/secret-scrubber.js";
import { observedStore } from "./observed-store.js";
import { createDeliveryHandling } from "../app/delivery-handling.js";
import { dispatchEvent } from "../app/dispatch-event.js";
import type { WebhookDeps } from "../app/webhook-deps.js";
import type { Logger } from "../app/ports/logger.js";
import { createPrStateService } from "../app/pr-state-service.js";
import { recoverPrStates } from "../app/recover-pr-states.js";
import { recoverInterrupted } from "../app/recover-interrupted.js";
import { scrubbingVcs } from "../app/scrubbing-vcs.js";
import { createCheckPublisher } from "../app/check-publisher.js";
import { resultsVcs } from "../app/results-vcs.js";
import { createSummaryPublisher } from "../app/summary-publisher.js";
import { secretsOf, type ServerConfig } from "../config/server-config.js";
import type { ResolvedCredentials } from "../config/project-credentials.js";
import { createDriftWiring } from "./drift-wiring.js";
import { createPlanEngine, repoKeyFor } from "./plan-engine.js";

/** How long a stop past its grace still waits for cancelled deliveries to wind down. */
const CANCELLED_HANDLING_WAIT_MS = 5000;
/** How long a stop waits for queued notifications once the work that makes them is done. */
const NOTIFY_DRAIN_MS = 5000;

export interface TfgateServer {
  readonly url: string;
  /** Stops taking webhooks, lets running jobs finish (up to `graceMs`), then cancels the rest. */
  close(graceMs?: number): Promise<void>;
}

/** What main.ts read besides the settings: the resolved credentials file and tfgate's environment. */
export interface ServerRuntime {
  readonly credentials: ResolvedCredentials;
  /** The environment git processes start from (PATH, HOME); see GitBaseEnv. */
  readonly gitEnv: GitBaseEnv;
}

/** Wires the GitHub App server from parsed settings; main.ts is the only caller outside tests. */
export async function startTfgateServer(config: ServerConfig, log: Logger, runtime: ServerRuntime): Promise<TfgateServer> {
  const privateKey = "pem" in config.privateKey ? config.privateKey.pem : await readFile(config.privateKey.file, "utf8");
  /** False once close() began: no new webhooks, and jobs stopped now are left for recovery. */
  let accepting = true;
  /** True once close() cancelled what was still running: those deliveries stay pending. */
  let cancelled = false;
  const engine = createPlanEngine({
    ...config.engine,
    dataDir: config.dataDir,
    terraformEnv: { ...runtime.credentials.passEnv, ...config.engine.terraformEnv },
    sandbox: config.sandbox,
    gitEnv: runtime.gitEnv,
    credentials: runtime.credentials.forProject,
    concurrency: config.concurrency,
    planTimeoutMs: config.planTimeoutMs,
    killGraceMs: 10_000,
    niceness: config.planNiceness,
  }, { loadHclParser: () => import("@cdktn/hcl2json") });
  const metrics = createTfgateMetrics({ queueStats: () => engine.queue.stats(), driftLatest: () => store.drift.latest() });
  const store = observedStore(openStore(sqliteLocation(config.dataDir)), (job) =>
    metrics.jobFinished(job.kind, job.state, job.startedAt !== null && job.finishedAt !== null ? (job.finishedAt - job.startedAt) / 1000 : null),
  );
  await engine.validator.warmUp();
  const secrets = [...secretsOf(config), privateKey, ...runtime.credentials.secrets];
  const scrub = createSecretScrubber(secrets);
  const runLogs = createFileRunLogs({ dir: join(config.dataDir, "logs"), scrub });
  const vcs = scrubbingVcs(
    createGitHubApp({
    appId: config.appId,
    privateKey,
    baseUrl: config.githubApiUrl,
    retryBaseSeconds: config.retryBaseSeconds,
      onApiEvent: (e) => {
        metrics.githubApiEvent(e.kind, e.status);
        log.warn({ api: e }, `GitHub API ${e.kind}`);
      },
    }),
    secrets,
  );
  const notifier = config.notify
    ? createWebhookNotifier({ ...config.notify, events: config.notify.events && new Set(config.notify.events), log })
    : { notify: () => undefined, close: async () => undefined };
  const webBaseUrl = /^https?:/.test(config.gitBaseUrl) ? config.gitBaseUrl : "https://github.com";
  const checks = createCheckPublisher({ vcs, checks: store.checks, log });
  const prStates = createPrStateService({
    vcs,
    store,
    publisher: createSummaryPublisher({ vcs, secrets, unsandboxed: config.sandbox === "none", onError: (err) => log.error({ err }, "could not publish a summary") }),
    log,
    webBaseUrl,
    results: { mode: config.results, checks },
  });
  // Use cases set statuses through this one: with checks on, each also (or only) shows as a check.
  const resultsHost = resultsVcs(vcs, config.results, checks);
  const branches = createRemoteBranches({ gitEnv: runtime.gitEnv });
  const drift = createDriftWiring(config, log, { engine, store, vcs, branches, notifier, webBaseUrl, scrub });
  const deps: WebhookDeps = {
    ...engine,
    branches,
    onInfrastructureDiverged: drift.onInfrastructureDiverged,
    repoKeyFor,
    vcs: resultsHost,
    store,
    locks: store.locks,
    prStates,
    log,
    runLogs,
    notifier,
    shuttingDown: () => !accepting,
    planDrafts: config.planDrafts,
    checkDriftNow: drift.checkNow,
    driftIssues: store.driftIssues,
    settings: {
      gitBaseUrl: config.gitBaseUrl,
      webBaseUrl,
      planDir: engine.planDir,
      stateDir: engine.stateDir,
      publicUrl: config.publicUrl,
      progressDelayMs: config.progressDelayMs,
      approverTeams: config.approverTeams,
      applyFloor: config.applyFloor,
      protectedBases: config.protectedBases,
    },
  };

  // No job runs yet: what a crash left of earlier jobs (checkouts, provider socket dirs) goes.
  const swept = await engine.workspaces.sweep();
  if (swept > 0) log.info({ swept }, "removed the workspaces of jobs the previous stop interrupted");
  const interrupted = await recoverInterrupted({ store, vcs: resultsHost, log });
  if (interrupted > 0) log.warn({ interrupted }, "jobs interrupted by the previous stop were reported on their pull requests");
  // Read before the webhook process starts, so a delivery accepted from now on is not among them.
  const unfinished = await store.deliveries.unfinished();
  const deliveries = createDeliveryHandling({
    deliveries: store.deliveries,
    log,
    dispatch: async (d) => {
      const started = performance.now();
      let ok = false;
      try {
        await dispatchEvent(deps, d);
        ok = true;
      } finally {
        metrics.webhookHandled(d.event, ok, (performance.now() - started) / 1000);
      }
    },
    interrupted: () => cancelled,
  });
  // Summaries and statuses the previous process had not finished showing: published from the store.
  const settled = recoverPrStates({ store, vcs, prStates, log }).then(
    (n) => n > 0 && log.info({ republished: n }, "re-published pull request summaries the previous stop left stale"),
    (err: unknown) => log.error({ err }, "could not re-publish stale pull request summaries"),
  );

  const web = await startWebServer(
    createWebRoutes({
      jobs: store.jobs,
      audit: store.audit,
      locks: store.locks,
      runLogs,
      credentials: config.ui,
      pullLink: (repo, pr) => `${webBaseUrl}/${repo}/pull/${pr}`,
      metrics,
      releaseLock: (input) => releaseLockFromUi({ locks: store.locks, audit: store.audit, log, vcs: resultsHost, prStates }, input),
      drift: store.drift,
      // Absent when drift is off, so the page says so instead of offering a button that is refused.
      ...(config.drift.enabled ? { checkDriftNow: (input: Parameters<typeof drift.checkNow>[0]) => drift.checkNow(input) } : {}),
      log,
    }),
    (err) => log.error({ err }, "web UI request failed"),
  );
  const server = await startWebhookProcess({
    secret: config.webhookSecret,
    maxBodyBytes: config.maxBodyBytes,
    bodyBudgetBytes: config.bodyBudgetBytes,
    storeLocation: store.location,
    host: config.host,
    port: config.port,
    webPort: web.port,
    dispatch: async (d, ackSeconds) => {
      metrics.webhookAcknowledged(ackSeconds);
      // Recorded as pending by the webhook process before its 202; duplicates never get here.
      await deliveries.handle(d);
    },
    onError: (message, d) => log.error({ delivery: d?.id, event: d?.event, error: message }, "webhook handling failed"),
  });
  drift.scheduler?.start();
  const reportHealth = () => server.setHealth(accepting ? 200 : 503, { status: accepting ? "ok" : "stopping", queue: engine.queue.stats() });
  reportHealth();
  const healthTimer = setInterval(reportHealth, 1000);
  healthTimer.unref();
  const url = server.url;
  log.info({ url }, "tfgate listening");
  // After the stale summaries: a resumed plan then publishes over an up-to-date state.
  const resumed = settled
    .then(() => deliveries.resume(unfinished))
    .then(
      (n) => n > 0 && log.warn({ resumed: n }, "deliveries the previous stop left unfinished are being handled"),
      (err: unknown) => log.error({ err }, "could not resume unfinished deliveries"),
    );

  return {
    url,
    async close(graceMs = 60_000) {
      accepting = false;
      reportHealth();
      // Drift checks are not waited for: cut off, they stay started and the next start runs them again.
      const driftStopped = drift.scheduler?.stop();
      engine.queue.cancel((job) => job.tags["drift"] !== undefined, "server shutting down");
      await resumed;
      clearInterval(healthTimer);
      // Live logs hold connections through the webhook process: end them too, or its close waits.
      const closed = Promise.all([server.close(), web.close()]);
      // A delivery's handling outlives its jobs (replies, summary, statuses): both are waited for.
      const idle = Promise.all([engine.queue.onIdle(), deliveries.idle()]);
      const timer = (ms: number) => new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms).unref());
      if ((await Promise.race([idle.then(() => "idle" as const), timer(graceMs)])) === "timeout") {
        // tofu gets SIGINT (releases its state lock); the jobs are recorded as cancelled, and the
        // deliveries cut short stay pending for the next start.
        cancelled = true;
        engine.queue.cancel(() => true, "server shutting down");
        await engine.queue.onIdle();
        // A handling stuck on GitHub (a long rate limit) is not waited for past a few seconds.
        await Promise.race([deliveries.idle(), timer(CANCELLED_HANDLING_WAIT_MS)]);
      }
      // After the handlings that queue them (apply results); a receiver that is down costs a few seconds, no more.
      await notifier.close(NOTIFY_DRAIN_MS);
      await closed;
      await driftStopped;
      engine.closeReaders();
      store.close();
    },
  };
}
