/**
 * Custom workflow steps: checks teams already run around a plan (`tofu fmt -check`, `tofu
 * validate`, tflint), named in tfgate.yaml and run by tfgate in the same sandbox, with the same
 * credentials, as the stage they belong to.
 */

/** Where a step runs: before or after `init`, `plan` and `apply`. */
export const WORKFLOW_STAGES = ["before_init", "after_init", "before_plan", "after_plan", "before_apply", "after_apply"] as const;
export type WorkflowStage = (typeof WORKFLOW_STAGES)[number];

/** Steps tfgate knows; always allowed. `validate` needs an initialised directory. */
export const BUILTIN_STEPS = ["fmt-check", "validate"] as const;
export type BuiltinStep = (typeof BUILTIN_STEPS)[number];

/** A step's default and largest time limit, in seconds. */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 600;
export const MAX_STEP_TIMEOUT_SECONDS = 3600;

export type WorkflowStep =
  | { readonly kind: "builtin"; readonly name: BuiltinStep; readonly timeoutSeconds: number }
  /** A shell command (`/bin/sh -c`); only when the server allows `run:` steps. */
  | { readonly kind: "run"; readonly name: string; readonly command: string; readonly timeoutSeconds: number };

export type Workflow = Readonly<Partial<Record<WorkflowStage, readonly WorkflowStep[]>>>;

export const EMPTY_WORKFLOW: Workflow = Object.freeze({});

/** What one step did, for the summary. */
export interface StepReport {
  readonly name: string;
  readonly stage: WorkflowStage;
  readonly ok: boolean;
  /** Its output, cut to the end (where errors are). */
  readonly output: string;
  readonly durationMs: number;
}

export function hasRunSteps(workflow: Workflow): boolean {
  return Object.values(workflow).some((steps) => steps?.some((s) => s.kind === "run"));
}
