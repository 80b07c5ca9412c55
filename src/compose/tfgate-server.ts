import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createGitHubApp } from "../adapters/github/github-app.js";
import { startThreadedWebhookServer } from "../adapters/http/threaded-webhook-server.js";
import { createSqliteStore } from "../adapters/store/sqlite-store.js";
import { createRepoReader } from "../adapters/git/repo-reader.js";
import { applyPullRequest, type ApplyCommand } from "../app/apply-pull-request.js";
import { handleWebhook } from "../app/handle-webhook.js";
import type { Logger } from "../app/logger-port.js";
import type { RepoReader } from "../app/ports.js";
import { createPullRequestRuns } from "../app/pull-request-runs.js";
import { recoverInterrupted } from "../app/recover-interrupted.js";
import { scrubbingGitHub } from "../app/scrubbing-github.js";
import { createSummaryPublisher } from "../app/summary-publisher.js";
import { secretsOf, type ServerConfig } from "../config/server-config.js";
import { createPlanEngine, repoKeyFor } from "./plan-engine.js";

export interface TfgateServer {
  readonly url: string;
  /** Stops taking webhooks, lets running jobs finish (up to `graceMs`), then cancels the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Wires the GitHub App server from parsed settings; main.ts is the only caller outside tests. */
export async function startTfgateServer(config: ServerConfig, log: Logger): Promise<TfgateServer> {
  const privateKey = "pem" in config.privateKey ? config.privateKey.pem : await readFile(config.privateKey.file, "utf8");
  const store = createSqliteStore({ path: join(config.dataDir, "tfgate.sqlite") });
  const engine = createPlanEngine({
    dataDir: config.dataDir,
    terraformBinary: config.terraformBinary,
    terraformEnv: config.terraformEnv,
    concurrency: config.concurrency,
    planTimeoutMs: config.planTimeoutMs,
    lockTimeout: config.lockTimeout,
    killGraceMs: 10_000,
    niceness: config.planNiceness,
  });
  await engine.validator.warmUp();
  const secrets = [...secretsOf(config), privateKey];
  const github = scrubbingGitHub(
    createGitHubApp({
    appId: config.appId,
    privateKey,
    baseUrl: config.githubApiUrl,
    retryBaseSeconds: config.retryBaseSeconds,
      onApiEvent: (e) => log.warn({ api: e }, `GitHub API ${e.kind}`),
    }),
    secrets,
  );
  const readers = new Map<string, RepoReader>();
  const readerFor = (dir: string): RepoReader => {
    let r = readers.get(dir);
    if (!r) readers.set(dir, (r = createRepoReader({ dir })));
    return r;
  };
  const runs = createPullRequestRuns({
    ...engine,
    github,
    readerFor,
    repoKeyFor,
    store,
    locks: store.locks,
    publisher: createSummaryPublisher({ github, secrets, onError: (err) => log.error({ err }, "could not publish a summary") }),
    log,
    settings: {
      gitBaseUrl: config.gitBaseUrl,
      webBaseUrl: /^https?:/.test(config.gitBaseUrl) ? config.gitBaseUrl : "https://github.com",
      planDir: engine.planDir,
      stateDir: engine.stateDir,
      publicUrl: config.publicUrl,
      progressDelayMs: config.progressDelayMs,
      approverTeams: config.approverTeams,
    },
  });

  const interrupted = await recoverInterrupted({ store, github, log });
  if (interrupted > 0) log.warn({ interrupted }, "jobs interrupted by the previous stop were reported on their pull requests");

  let accepting = true;
  const apply = (cmd: ApplyCommand) =>
    applyPullRequest(
      {
        github,
        workspaces: engine.workspaces,
        terraform: engine.terraform,
        queue: engine.queue,
        readerFor,
        repoKeyFor,
        store,
        locks: store.locks,
        log,
        markApplied: (repo, pr, project, counts) => runs.markApplied(repo, pr, project, counts),
        everythingApplied: (repo, pr) => runs.everythingApplied(repo, pr),
        settings: { gitBaseUrl: config.gitBaseUrl, stateDir: engine.stateDir, approverTeams: config.approverTeams },
      },
      cmd,
    );
  const dispatchDeps = { github, runs, apply, log, planDrafts: config.planDrafts };
  const server = await startThreadedWebhookServer({
    secret: config.webhookSecret,
    maxBodyBytes: config.maxBodyBytes,
    dbPath: store.path,
    host: config.host,
    port: config.port,
    dispatch: (d) => handleWebhook(dispatchDeps, d),
    onError: (message, d) => log.error({ delivery: d?.id, event: d?.event, error: message }, "webhook handling failed"),
  });
  const reportHealth = () => server.setHealth(accepting ? 200 : 503, { status: accepting ? "ok" : "stopping", queue: engine.queue.stats() });
  reportHealth();
  const healthTimer = setInterval(reportHealth, 1000);
  healthTimer.unref();
  const url = server.url;
  log.info({ url }, "tfgate listening");

  return {
    url,
    async close(graceMs = 60_000) {
      accepting = false;
      reportHealth();
      clearInterval(healthTimer);
      const closed = server.close();
      const idle = engine.queue.onIdle();
      const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs).unref());
      if ((await Promise.race([idle.then(() => "idle" as const), timer])) === "timeout") {
        // tofu gets SIGINT (releases its state lock); the jobs are recorded as cancelled.
        engine.queue.cancel(() => true, "server shutting down");
        await idle;
      }
      await closed;
      for (const r of readers.values()) r.close();
      store.close();
    },
  };
}
