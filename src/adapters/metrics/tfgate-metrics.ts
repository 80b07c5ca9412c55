import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The server's Prometheus metrics, in a registry of their own (no global default registry: two
 * servers in one process, as in tests, must not share counters). Labels are bounded sets, never
 * a PR number, repository or project: series that grow with every pull request never expire
 * (a long-standing complaint about Atlantis).
 */
export interface TfgateMetrics {
  readonly contentType: string;
  render(): Promise<string>;
  jobFinished(kind: "plan" | "apply", outcome: string, seconds: number | null): void;
  /** Time from the request's arrival to the 202 (measured in the webhook process). */
  webhookAcknowledged(seconds: number): void;
  /** Time the main process spent on a delivery, by event and result. */
  webhookHandled(event: string, ok: boolean, seconds: number): void;
  githubApiEvent(kind: "retry" | "rate-limit" | "error", status: number | undefined): void;
}

const EVENTS = new Set(["pull_request", "issue_comment", "pull_request_review", "check_run", "check_suite", "ping", "installation", "installation_repositories"]);
const OUTCOMES = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

/** The newest drift check of each project, as the metrics read it (see DriftResults.latest). */
export type DriftLatest = () => Promise<readonly { readonly state: string; readonly checkedAt: number | null }[]>;

const DRIFT_STATES = ["in-sync", "drifted", "error", "started"] as const;

export function createTfgateMetrics(options: { readonly queueStats: () => { waiting: number; running: number }; readonly driftLatest?: DriftLatest }): TfgateMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tfgate_process_" });

  const jobs = new Counter({ name: "tfgate_jobs_total", help: "Finished jobs by kind and outcome.", labelNames: ["kind", "outcome"] as const, registers: [registry] });
  const jobSeconds = new Histogram({
    name: "tfgate_job_duration_seconds",
    help: "Run time of finished jobs (start to end, queue wait excluded).",
    labelNames: ["kind", "outcome"] as const,
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800],
    registers: [registry],
  });
  const stats = () => options.queueStats();
  new Gauge({
    name: "tfgate_queue_waiting_jobs",
    help: "Jobs waiting for a slot (global limit or another job on the same project).",
    registers: [registry],
    collect() {
      this.set(stats().waiting);
    },
  });
  new Gauge({
    name: "tfgate_queue_running_jobs",
    help: "Jobs running now.",
    registers: [registry],
    collect() {
      this.set(stats().running);
    },
  });
  const driftLatest = options.driftLatest;
  if (driftLatest) {
    // Read from the store at each scrape: every replica reports the same numbers, whichever ran the checks.
    new Gauge({
      name: "tfgate_drift_projects",
      help: "Projects by the state of their latest drift check (started: running, or cut off by a stop).",
      labelNames: ["state"] as const,
      registers: [registry],
      async collect() {
        const latest = await driftLatest();
        for (const state of DRIFT_STATES) this.set({ state }, latest.filter((c) => c.state === state).length);
      },
    });
    new Gauge({
      name: "tfgate_drift_last_check_timestamp_seconds",
      help: "When the latest drift check finished (Unix time); 0 before the first.",
      registers: [registry],
      async collect() {
        const times = (await driftLatest()).map((c) => c.checkedAt ?? 0);
        this.set(Math.max(0, ...times) / 1000);
      },
    });
  }
  const ack = new Histogram({
    name: "tfgate_webhook_ack_seconds",
    help: "Time from a webhook's arrival to tfgate's 202 answer.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const handled = new Histogram({
    name: "tfgate_webhook_handling_seconds",
    help: "Time spent handling an accepted delivery (plans run afterwards, in jobs).",
    labelNames: ["event", "result"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const api = new Counter({
    name: "tfgate_github_api_events_total",
    help: "GitHub API calls that failed, were retried or hit a rate limit, by kind and HTTP status.",
    labelNames: ["kind", "status"] as const,
    registers: [registry],
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    jobFinished(kind, outcome, seconds) {
      const o = OUTCOMES.has(outcome) ? outcome : "other";
      jobs.inc({ kind, outcome: o });
      if (seconds !== null && seconds >= 0) jobSeconds.observe({ kind, outcome: o }, seconds);
    },
    webhookAcknowledged: (seconds) => ack.observe(seconds),
    webhookHandled(event, ok, seconds) {
      handled.observe({ event: EVENTS.has(event) ? event : "other", result: ok ? "ok" : "error" }, seconds);
    },
    githubApiEvent(kind, status) {
      api.inc({ kind, status: status === undefined ? "none" : String(status) });
    },
  };
}
