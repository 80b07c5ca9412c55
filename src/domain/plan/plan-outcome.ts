/** Resource counts of a plan; a replace is counted on its own, not as an add plus a destroy. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
}

/** A saved plan file, kept for a later apply of exactly this plan. */
export interface SavedPlan {
  readonly path: string;
  readonly sha256: string;
}

import type { StepReport } from "../projects/workflow.js";

/** What the project's workflow steps did (absent when it has none). */
interface WithSteps {
  readonly steps?: readonly StepReport[];
}

export type PlanOutcome = WithSteps &
  (
  | {
      readonly status: "no-changes";
      readonly durationMs: number;
      /** `show -json` of the plan: policies evaluate it (it may hold sensitive values in clear). */
      readonly planJson: unknown;
    }
  | {
      readonly status: "changes";
      readonly counts: PlanCounts;
      /** The plan as tofu shows it (`show -no-color` of the saved file; sensitive values masked by tofu); null when not asked for. */
      readonly diff: string | null;
      readonly plan: SavedPlan;
      readonly durationMs: number;
      readonly planJson: unknown;
    }
  | {
      readonly status: "error";
      readonly reason: "failed" | "timeout" | "cancelled";
      readonly message: string;
      /** tofu's diagnostics (stderr and the failing step's output). */
      readonly diagnostics: string;
      readonly durationMs: number;
    }
  );

export const ZERO_COUNTS: PlanCounts = { add: 0, change: 0, destroy: 0, replace: 0 };

interface ResourceChange {
  readonly change?: { readonly actions?: readonly string[] };
}

/** Counts actions from `show -json` (format 1.x): replace is ["delete","create"] or ["create","delete"]. */
export function countPlanActions(planJson: unknown): PlanCounts {
  const changes = (planJson as { resource_changes?: readonly ResourceChange[] } | null)?.resource_changes ?? [];
  let add = 0;
  let change = 0;
  let destroy = 0;
  let replace = 0;
  for (const rc of changes) {
    const actions = rc.change?.actions ?? [];
    if (actions.length === 2 && actions.includes("delete") && actions.includes("create")) replace++;
    else if (actions[0] === "create") add++;
    else if (actions[0] === "update") change++;
    else if (actions[0] === "delete") destroy++;
  }
  return { add, change, destroy, replace };
}
