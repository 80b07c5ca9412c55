import picomatch from "picomatch";
import type { DriftConfig, DriftRule, TopDriftConfig } from "../projects/repo-config.js";
import { parseCronSchedule, type CronSchedule } from "./cron-schedule.js";

/** The server's drift settings: what applies where tfgate.yaml says nothing. */
export interface ServerDriftSettings {
  readonly enabled: boolean;
  /** A valid 5-field cron expression (checked when the settings were parsed). */
  readonly schedule: string;
  readonly jitterMs: number;
}

export interface EffectiveDrift {
  readonly enabled: boolean;
  readonly schedule: CronSchedule;
}

/**
 * Key by key, the first that sets it: the project's own `drift`, the first top-level rule that
 * matches the project (by name or directory), the top-level settings, the server's.
 */
export function effectiveDrift(server: ServerDriftSettings, top: TopDriftConfig | undefined, own: DriftConfig | undefined, project?: { readonly name: string; readonly dir: string }): EffectiveDrift {
  const rule = project ? top?.rules?.find((r) => matchesRule(r, project)) : undefined;
  const text = own?.schedule ?? rule?.schedule ?? top?.schedule ?? server.schedule;
  const parsed = parseCronSchedule(text);
  // tfgate.yaml's schedules were validated when it was parsed; the server's is the fallback anyway.
  const fallback = parseCronSchedule(server.schedule);
  const schedule = parsed.ok ? parsed.schedule : fallback.ok ? fallback.schedule : neverSchedule(text);
  return { enabled: own?.enabled ?? rule?.enabled ?? top?.enabled ?? server.enabled, schedule };
}

function matchesRule(rule: DriftRule, project: { readonly name: string; readonly dir: string }): boolean {
  const dir = project.dir === "" ? "." : project.dir;
  return (rule.projects !== undefined && picomatch.isMatch(project.name, [...rule.projects], { dot: true })) || (rule.dirs !== undefined && picomatch.isMatch(dir, [...rule.dirs], { dot: true }));
}

/**
 * The slot a project is due for now, or null. The schedule is shifted by the repository's jitter,
 * so repositories do not all plan in the same minute. A project never checked is due at once; one
 * whose latest check is still started is not (it is running, or a restart will resume it).
 */
export function dueSlot(schedule: CronSchedule, now: number, jitterMs: number, latest: { readonly scheduledFor: number; readonly state: string } | undefined): number | null {
  const slot = schedule.previous(now - jitterMs);
  if (slot === null) return null;
  if (latest === undefined) return slot;
  if (latest.state === "started" || latest.scheduledFor >= slot) return null;
  return slot;
}

/** When the schedule is next due after `now`, jitter included; null if not within a year. */
export function nextDue(schedule: CronSchedule, now: number, jitterMs: number): number | null {
  const next = schedule.next(now - jitterMs);
  return next === null ? null : next + jitterMs;
}

/** A stable jitter per repository: the same on every replica and after restarts. */
export function jitterFor(repo: string, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < repo.length; i++) h = Math.imul(h ^ repo.charCodeAt(i), 0x01000193) >>> 0;
  return Math.floor((h / 0x1_0000_0000) * jitterMs / 60_000) * 60_000;
}

function neverSchedule(expression: string): CronSchedule {
  return { expression, matches: () => false, previous: () => null, next: () => null };
}
