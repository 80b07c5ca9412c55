import type { PlannedChange } from "./plan-changes.js";
import type { PolicyRule } from "./policy-rule.js";

/** The project being judged. */
export interface PolicyProject {
  readonly name: string;
  /** Expected Project tag value: tfgate.yaml `project_tag`, else the project's name. */
  readonly expectedTag?: string;
}

/** What a rule check gets from the evaluator; it reports findings instead of returning them. */
export interface RuleContext {
  readonly project: PolicyProject;
  readonly expectedTag: string;
  readonly changes: readonly PlannedChange[];
  /**
   * The preferred tag attributes the change's resource type has (first = effective tags); empty
   * when it cannot be tagged. Undefined when its provider schema is unknown: the evaluator has
   * already recorded the error, the check just skips the resource.
   */
  tagAttributes(change: PlannedChange, preference: readonly string[]): readonly string[] | undefined;
  /**
   * Records a finding. `unknownValue` marks findings about values unknown until apply, which the
   * rule's unknown-value handling may turn into warnings; the rule's severity applies on top.
   */
  report(rule: PolicyRule, change: PlannedChange | null, message: string, options?: { unknownValue?: "error" | "warning" }): void;
}
