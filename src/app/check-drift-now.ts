import { checkDrift, type CheckDriftDeps, type DriftProjectResult } from "./check-drift.js";
import { resolveDriftRepo, type DriftRepoDeps } from "./drift-repo.js";
import { driftTargets, type DriftTargetsDeps } from "./drift-targets.js";

export interface CheckDriftNowDeps extends CheckDriftDeps, DriftTargetsDeps, DriftRepoDeps {
  readonly now?: () => number;
}

export interface CheckDriftNowSettings {
  readonly gitBaseUrl: string;
  readonly planDir: string;
  readonly stateDir: string;
  readonly concurrency: number;
}

export interface CheckDriftNowInput {
  /** `owner/name`. */
  readonly repo: string;
  /** The projects to check; all of the default branch's projects when absent. */
  readonly projects?: readonly string[];
  /** A project the default branch no longer has is left out instead of refusing the check (after a merge that removed it). */
  readonly skipUnknown?: boolean;
}

export type CheckDriftNowResult =
  | { readonly status: "checked"; readonly results: readonly DriftProjectResult[] }
  /** The default branch cannot be planned, or a named project is not one of its projects: nothing ran. */
  | { readonly status: "refused"; readonly message: string };

/**
 * A drift check outside the schedule ("check now" in the UI, `/plan` on a drift issue, a pull
 * request closed with its branch and the infrastructure disagreeing): the default branch's head
 * of the named projects, recorded like a scheduled check for the current minute. A project
 * already being checked is skipped, not checked twice.
 */
export async function checkDriftNow(deps: CheckDriftNowDeps, settings: CheckDriftNowSettings, input: CheckDriftNowInput): Promise<CheckDriftNowResult> {
  const repo = await resolveDriftRepo(deps, settings.gitBaseUrl, input.repo);
  const resolved = await driftTargets(deps, repo);
  if (resolved.status === "error") return { status: "refused", message: resolved.message };
  const known = resolved.targets.projects.map((t) => t.project.name);
  const asked = input.projects ?? known;
  const unknown = asked.filter((n) => !known.includes(n));
  const names = input.skipUnknown ? asked.filter((n) => known.includes(n)) : asked;
  if (unknown.length > 0 && !input.skipUnknown) {
    return { status: "refused", message: `${input.repo} has no project ${unknown.map((n) => `\`${n}\``).join(", ")} at its default branch's head ${resolved.targets.sha.slice(0, 12)}` };
  }
  const minute = Math.floor((deps.now ?? Date.now)() / 60_000) * 60_000;
  const results = await checkDrift(deps, {
    targets: resolved.targets,
    projects: [...new Set(names)].map((name) => ({ name })),
    scheduledFor: minute,
    planDir: settings.planDir,
    stateDir: settings.stateDir,
    concurrency: settings.concurrency,
  });
  return { status: "checked", results };
}
