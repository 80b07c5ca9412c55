import type { ShownPlan } from "../domain/apply/approval-coverage.js";
import type { PlanRecord } from "./ports/plans.js";
import type { Store } from "./ports/store.js";

/** What the approval rule needs to know about one project of a pull request. */
export interface ProjectPlans {
  /** The plan `/apply` would apply (state "current"), if any. */
  readonly current: PlanRecord | null;
  /** Every plan of the project in this pull request, oldest first. */
  readonly history: readonly ShownPlan[];
  /** An interrupted apply of the project was reported then: approvals until then no longer count. */
  readonly approvalsVoidUntil: number | null;
}

/**
 * Reads, for every project of a pull request, its plans and interrupted applies (of any pull
 * request: an apply cut off elsewhere changed the same infrastructure). An interruption that could
 * not be reported voids approvals up to when the restart recorded it.
 */
export async function projectPlans(store: Pick<Store, "plans" | "jobs">, repo: string, pr: number): Promise<(project: string) => ProjectPlans> {
  const [history, interrupted] = await Promise.all([store.plans.history(repo, pr), store.jobs.interruptedApplies(repo)]);
  const plans = new Map<string, PlanRecord[]>();
  for (const p of history) plans.set(p.project, [...(plans.get(p.project) ?? []), p]);
  const voids = new Map<string, number>();
  for (const i of interrupted) voids.set(i.project, Math.max(voids.get(i.project) ?? 0, i.reportedAt ?? i.interruptedAt));
  return (project) => {
    const own = plans.get(project) ?? [];
    return {
      current: own.find((p) => p.state === "current") ?? null,
      history: own.map((p) => ({ contentHash: p.contentHash, postedAt: p.postedAt })),
      approvalsVoidUntil: voids.get(project) ?? null,
    };
  };
}
