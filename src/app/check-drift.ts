import type { DriftOutcome } from "../domain/drift/drift-outcome.js";
import type { PlanOutcome } from "../domain/plan/plan-outcome.js";
import type { PolicyResult } from "../domain/policy/policy-result.js";
import type { DriftRepo, DriftTargets } from "./drift-targets.js";
import { planProjects, type PlanProjectsDeps } from "./plan-projects.js";
import type { DriftCheckRecord, DriftResults } from "./ports/drift-results.js";
import type { Locks } from "./ports/locks.js";

/** Below pull requests' plans (0): a schedule's worth of checks never delays a review. */
export const DRIFT_PRIORITY = -10;

/** A finished check, with the project's check before it (null for its first), for what follows a result. */
export interface DriftCheckEvent {
  readonly repo: DriftRepo;
  readonly record: DriftCheckRecord;
  readonly previous: DriftCheckRecord | null;
  /**
   * The newest earlier check that compared (in sync or drifted), skipping errors: "found" and
   * "resolved" are transitions between these two, and a failed check in between is neither.
   */
  readonly lastKnown: DriftCheckRecord | null;
}

/**
 * Told of every finished check (issues, notifications). Called in order, one project at a time;
 * a rejection is the listener's problem to log: the check itself is recorded already.
 */
export type DriftListener = (event: DriftCheckEvent) => Promise<void>;

export interface CheckDriftDeps extends PlanProjectsDeps {
  readonly locks: Locks;
  readonly drift: DriftResults;
  readonly afterCheck?: DriftListener;
}

export interface CheckDriftInput {
  readonly targets: DriftTargets;
  /** Names of the projects to check, each with the started record it completes, if resumed. */
  readonly projects: readonly { readonly name: string; readonly resumeId?: number }[];
  /** The schedule's minute being checked (recorded, so a slot is checked once). */
  readonly scheduledFor: number;
  /** Drift plans go under here, apart from pull requests' plans, and are deleted once read. */
  readonly planDir: string;
  /** Where local-state projects keep their state: the same path pull requests' applies write. */
  readonly stateDir: string;
  /** Drift plans running at once, at most (the rest of the queue's slots stay for pull requests). */
  readonly concurrency: number;
}

export type DriftProjectResult =
  | { readonly status: "checked"; readonly project: string; readonly checkId: number; readonly outcome: DriftOutcome; readonly lockedBy: number | null }
  /** Another check of the project was already running (another replica, or a slot not yet finished). */
  | { readonly status: "skipped"; readonly project: string; readonly reason: string };

/**
 * Plans each project at the default branch's head with its plan credentials, read-only: no
 * project lock is taken (a pull request holding one is named in the result), and the plan file is
 * removed once read, since nothing may apply it. Each check is recorded as started before it runs.
 */
export async function checkDrift(deps: CheckDriftDeps, input: CheckDriftInput): Promise<DriftProjectResult[]> {
  const { targets } = input;
  const byName = new Map(targets.projects.map((t) => [t.project.name, t]));
  const holders = new Map((await deps.locks.list(targets.repo.name)).map((l) => [l.project, l.pr]));
  const results: DriftProjectResult[] = [];
  const started: { name: string; checkId: number }[] = [];
  for (const { name, resumeId } of input.projects) {
    if (resumeId !== undefined) {
      started.push({ name, checkId: resumeId });
      continue;
    }
    const begun = await deps.drift.begin({ repo: targets.repo.name, project: name, sha: targets.sha, scheduledFor: input.scheduledFor });
    if (begun.status === "busy") results.push({ status: "skipped", project: name, reason: `check ${begun.running.id} of ${name} is still running` });
    else started.push({ name, checkId: begun.id });
  }
  // A project the resumed commit no longer has, or a name no project has, cannot be planned.
  const planned = started.filter((s) => byName.has(s.name));
  for (const s of started.filter((x) => !byName.has(x.name))) {
    const outcome: DriftOutcome = { state: "error", message: `no project ${s.name} at ${targets.sha.slice(0, 12)}` };
    await finish(deps, targets.repo, s.checkId, outcome, holders.get(s.name) ?? null);
    results.push({ status: "checked", project: s.name, checkId: s.checkId, outcome, lockedBy: holders.get(s.name) ?? null });
  }
  const ids = new Map(planned.map((s) => [s.name, s.checkId]));
  let plans: Awaited<ReturnType<typeof planProjects>>;
  try {
    plans = await planProjects(deps, {
    repo: { key: targets.repo.key, source: targets.repo.source, name: targets.repo.name },
    sha: targets.sha,
    // Only projects of the default branch: they are trusted, so they get their plan credentials.
    targets: planned.map((s) => ({ ...(byName.get(s.name) as DriftTargets["projects"][number]), trusted: true })),
    planDir: `${input.planDir}/drift`,
    stateDir: input.stateDir,
    scope: `drift:${targets.repo.name}`,
    tags: { drift: targets.repo.name },
    priority: DRIFT_PRIORITY,
    share: { key: "drift", max: input.concurrency },
    fetchEnv: targets.repo.fetchEnv,
    policy: targets.policy,
    });
  } catch (err) {
    // Not left started: that would refuse every later check of these projects until a restart.
    const message = `the drift check could not run: ${err instanceof Error ? err.message : String(err)}`;
    for (const s of planned) await finish(deps, targets.repo, s.checkId, { state: "error", message }, holders.get(s.name) ?? null);
    throw err;
  }
  for (const plan of plans) {
    if (plan.outcome.status === "changes") await deps.workspaces.removeFiles([plan.outcome.plan.path]);
    // Cancelled means the server is stopping: left started, the next start runs it again.
    if (plan.outcome.status === "error" && plan.outcome.reason === "cancelled") {
      results.push({ status: "skipped", project: plan.project.name, reason: plan.outcome.message });
      continue;
    }
    const checkId = ids.get(plan.project.name) as number;
    const outcome = driftOutcomeOf(plan.outcome, plan.policy);
    const lockedBy = holders.get(plan.project.name) ?? null;
    await finish(deps, targets.repo, checkId, outcome, lockedBy);
    results.push({ status: "checked", project: plan.project.name, checkId, outcome, lockedBy });
  }
  return results;
}

async function finish(deps: CheckDriftDeps, repo: DriftRepo, id: number, outcome: DriftOutcome, lockedBy: number | null): Promise<void> {
  const record = await deps.drift.finish(id, outcome, lockedBy);
  if (!deps.afterCheck) return;
  const before = (await deps.drift.history(record.repo, record.project, 20)).filter((r) => r.id < record.id && r.state !== "started");
  const previous = before[0] ?? null;
  const lastKnown = before.find((r) => r.state === "in-sync" || r.state === "drifted") ?? null;
  await deps.afterCheck({ repo, record, previous, lastKnown }).catch(() => undefined);
}

function driftOutcomeOf(outcome: PlanOutcome, policy: PolicyResult | null): DriftOutcome {
  switch (outcome.status) {
    case "no-changes":
      return { state: "in-sync" };
    case "changes":
      return { state: "drifted", counts: outcome.counts, diff: outcome.diff, policy };
    case "error":
      return { state: "error", message: [outcome.message, outcome.diagnostics].filter((t) => t.trim() !== "").join("\n\n") };
  }
}
