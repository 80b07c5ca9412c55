import type { PlanCounts } from "../plan/plan-outcome.js";
import type { PolicyResult } from "../policy/policy-result.js";

/**
 * What a plan at the default branch's head says about one project: the infrastructure (or its
 * state) matches the merged code, differs from it, or could not be compared.
 */
export type DriftOutcome =
  | { readonly state: "in-sync" }
  | {
      readonly state: "drifted";
      readonly counts: PlanCounts;
      /** `show -no-color` of the plan; null when not rendered. */
      readonly diff: string | null;
      /** What the default branch's policies say of the changes a plan would make; null when not judged. */
      readonly policy?: PolicyResult | null;
    }
  | { readonly state: "error"; readonly message: string };

export type DriftState = DriftOutcome["state"];

export const DRIFT_STATES: readonly DriftState[] = ["in-sync", "drifted", "error"];
