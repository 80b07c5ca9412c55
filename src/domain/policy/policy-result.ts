import { DEFAULT_POLICY_CONFIG } from "../projects/repo-config.js";
import type { PolicyProblem, UnknownHandling } from "./policy-rule.js";

/** One finding on one resource (or on the whole plan, where `address` is ""). */
export interface Violation {
  readonly address: string;
  /** The id of the rule that found it. */
  readonly rule: string;
  /** Says what is wrong and how to fix it; never holds a sensitive value. */
  readonly message: string;
  /** Repository-relative configuration file and line of the resource block, when known. */
  readonly file?: string;
  readonly line?: number;
}

/** Same shape as a violation; does not fail the plan. */
export type PolicyWarning = Violation;

export type PolicyResult =
  | { readonly status: "passed"; readonly warnings: readonly PolicyWarning[] }
  | { readonly status: "failed"; readonly violations: readonly Violation[]; readonly warnings: readonly PolicyWarning[] }
  /** The policy could not be evaluated (bad policy file, unreadable plan, missing schema): fail closed. */
  | { readonly status: "error"; readonly errors: readonly PolicyProblem[] };

/** Repository-wide settings (tfgate.yaml `policy:`); a project-tag rule in policies/ overrides them. */
export interface PolicySettings {
  readonly tagKey: string;
  /** Tag map attributes in order of preference: the first one a resource type has is its tags. */
  readonly tagAttributes: readonly string[];
  readonly unknownTagValues: UnknownHandling;
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  tagKey: "Project",
  tagAttributes: DEFAULT_POLICY_CONFIG.tag_attributes,
  unknownTagValues: "error",
};

/** An `error` result for a failure outside the evaluator, e.g. provider schemas that could not be read. */
export function policyError(file: string, message: string, key = ""): PolicyResult {
  return { status: "error", errors: [{ file, key, line: null, message }] };
}
