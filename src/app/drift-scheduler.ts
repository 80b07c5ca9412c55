import { dueSlot, effectiveDrift, jitterFor, nextDue, type ServerDriftSettings } from "../domain/drift/due-checks.js";
import { checkDrift, type CheckDriftDeps, type DriftProjectResult } from "./check-drift.js";
import { driftTargets, type DriftRepo, type DriftTargetsDeps } from "./drift-targets.js";
import { resolveDriftRepo, type DriftRepoDeps } from "./drift-repo.js";
import type { DriftCheckRecord } from "./ports/drift-results.js";
import type { Leases } from "./ports/leases.js";
import type { Logger } from "./ports/logger.js";

/** The lease that elects the one replica running the drift schedule. */
export const DRIFT_LEASE = "drift-schedule";
/** A check cut off by this many stops is not run again (it may be what stops the server). */
const MAX_RESUMES = 3;
/** A repository's tfgate.yaml is read again at least this often, so a new schedule is seen. */
const RECHECK_CONFIG_MS = 3600_000;

export interface DriftSchedulerDeps extends CheckDriftDeps, DriftTargetsDeps, DriftRepoDeps {
  readonly leases: Leases;
  readonly log: Logger;
  readonly now?: () => number;
  /**
   * True only when the lease's holder is known to be gone (a process of this host that no longer
   * runs): a restarted server then takes the lease over at once instead of waiting out its expiry.
   */
  readonly holderGone?: (holder: string) => boolean;
  /** Called after each repository's checks (metrics). */
  readonly onChecked?: (results: readonly DriftProjectResult[]) => void;
}

export interface DriftSchedulerSettings extends ServerDriftSettings {
  readonly gitBaseUrl: string;
  readonly planDir: string;
  readonly stateDir: string;
  /** Drift plans running at once, at most. */
  readonly concurrency: number;
  /** This replica's name in the lease. */
  readonly holder: string;
  readonly leaseTtlMs?: number;
  readonly tickMs?: number;
}

export type DriftTick =
  | { readonly status: "not-leader"; readonly holder: string }
  | { readonly status: "ran"; readonly resumed: number; readonly results: readonly DriftProjectResult[] };

export interface DriftScheduler {
  /** Ticks every `tickMs` from now on (the first one at once). */
  start(): void;
  /** One pass: take or keep the lease, resume what a stop cut off, run what is due. */
  tick(): Promise<DriftTick>;
  /** No new checks; waits for the current pass, then gives the lease up. */
  stop(): Promise<void>;
}

/**
 * Runs drift checks on schedule on the one replica holding the lease. Due checks are recorded as
 * started before they run: a restart resumes them (once per restart, at most MAX_RESUMES times)
 * and the slot they were for is not checked again.
 */
export function createDriftScheduler(deps: DriftSchedulerDeps, settings: DriftSchedulerSettings): DriftScheduler {
  const now = deps.now ?? (() => Date.now());
  const ttl = settings.leaseTtlMs ?? 5 * 60_000;
  let leading = false;
  let stopping = false;
  let pass: Promise<DriftTick> | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** Per repository, when it can next be due (so tfgate.yaml is not read every tick). */
  const nextAt = new Map<string, number>();

  const repoOf = (name: string): Promise<DriftRepo> => resolveDriftRepo(deps, settings.gitBaseUrl, name);

  const check = (repo: DriftRepo, targets: Parameters<typeof checkDrift>[1]["targets"], projects: { name: string; resumeId?: number }[], slot: number) =>
    checkDrift(deps, { targets, projects, scheduledFor: slot, planDir: settings.planDir, stateDir: settings.stateDir, concurrency: settings.concurrency });

  async function resume(): Promise<DriftProjectResult[]> {
    const unfinished = await deps.drift.resumeUnfinished(MAX_RESUMES);
    const groups = new Map<string, DriftCheckRecord[]>();
    for (const r of unfinished) groups.set(`${r.repo}\0${r.sha}\0${r.scheduledFor}`, [...(groups.get(`${r.repo}\0${r.sha}\0${r.scheduledFor}`) ?? []), r]);
    const results: DriftProjectResult[] = [];
    for (const records of groups.values()) {
      const first = records[0] as DriftCheckRecord;
      const repo = await repoOf(first.repo);
      const resolved = await driftTargets(deps, repo, first.sha);
      const projects = records.map((r) => ({ name: r.project, resumeId: r.id }));
      if (resolved.status === "error") {
        for (const r of records) await deps.drift.finish(r.id, { state: "error", message: resolved.message }, null);
        continue;
      }
      results.push(...(await check(repo, resolved.targets, projects, first.scheduledFor)));
    }
    if (unfinished.length > 0) deps.log.warn({ resumed: unfinished.length }, "drift checks a stop cut off were run again");
    return results;
  }

  async function runDue(name: string): Promise<DriftProjectResult[]> {
    const t = now();
    if ((nextAt.get(name) ?? 0) > t) return [];
    const repo = await repoOf(name);
    const resolved = await driftTargets(deps, repo);
    if (resolved.status === "error") {
      deps.log.warn({ repo: name, problem: resolved.message }, "drift check: the default branch cannot be planned");
      nextAt.set(name, t + RECHECK_CONFIG_MS);
      return [];
    }
    const { targets } = resolved;
    if (targets.problems.length > 0) deps.log.warn({ repo: name, problems: targets.problems }, "drift check: some directories are not projects");
    const jitter = jitterFor(name, settings.jitterMs);
    const latest = new Map((await deps.drift.latest(name)).map((r) => [r.project, r]));
    const explicit = new Map(targets.config.projects.map((p) => [p.name, p]));
    const bySlot = new Map<number, string[]>();
    let next = t + RECHECK_CONFIG_MS;
    for (const { project } of targets.projects) {
      const drift = effectiveDrift(settings, targets.config.drift, explicit.get(project.name)?.drift, project);
      if (!drift.enabled) continue;
      const slot = dueSlot(drift.schedule, t, jitter, latest.get(project.name));
      if (slot !== null) bySlot.set(slot, [...(bySlot.get(slot) ?? []), project.name]);
      next = Math.min(next, nextDue(drift.schedule, t, jitter) ?? next);
    }
    nextAt.set(name, next);
    const results: DriftProjectResult[] = [];
    for (const [slot, names] of bySlot) {
      if (stopping || !leading) break;
      results.push(...(await check(repo, targets, names.map((n) => ({ name: n })), slot)));
    }
    return results;
  }

  async function runPass(): Promise<DriftTick> {
    const wasLeading = leading;
    let lease = await deps.leases.acquire(DRIFT_LEASE, settings.holder, ttl);
    if (lease.status === "held" && deps.holderGone?.(lease.by)) {
      deps.log.info({ holder: lease.by }, "the drift lease's holder is no longer running: taking the lease over");
      await deps.leases.release(DRIFT_LEASE, lease.by);
      lease = await deps.leases.acquire(DRIFT_LEASE, settings.holder, ttl);
    }
    leading = lease.status === "acquired";
    if (lease.status === "held") return { status: "not-leader", holder: lease.by };
    const results: DriftProjectResult[] = [];
    let resumed = 0;
    // Started checks found on taking the lease belong to a holder that stopped: none runs here yet.
    if (!wasLeading) {
      const r = await resume();
      resumed = r.length;
      results.push(...r);
    }
    for (const name of await deps.drift.repositories()) {
      if (stopping || !leading) break;
      try {
        const r = await runDue(name);
        results.push(...r);
        if (r.length > 0) deps.onChecked?.(r);
      } catch (err) {
        deps.log.error({ err, repo: name }, "drift check failed");
      }
    }
    return { status: "ran", resumed, results };
  }

  const heartbeat = setInterval(() => {
    if (!leading || stopping) return;
    deps.leases.renew(DRIFT_LEASE, settings.holder, ttl).then(
      (kept) => {
        if (!kept) leading = false;
      },
      (err: unknown) => deps.log.warn({ err }, "could not renew the drift lease"),
    );
  }, Math.max(1000, Math.floor(ttl / 3)));
  heartbeat.unref();

  const scheduler: DriftScheduler = {
    start() {
      if (timer !== null || stopping) return;
      const run = () => void scheduler.tick().catch((err: unknown) => deps.log.error({ err }, "drift schedule pass failed"));
      timer = setInterval(run, settings.tickMs ?? 60_000);
      timer.unref();
      run();
    },
    tick() {
      // One pass at a time: a tick during a long pass waits for it instead of starting another.
      if (pass) return pass;
      pass = runPass().finally(() => (pass = null));
      return pass;
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      clearInterval(heartbeat);
      await pass?.catch(() => undefined);
      if (leading) await deps.leases.release(DRIFT_LEASE, settings.holder).catch(() => undefined);
      leading = false;
    },
  };
  return scheduler;
}
