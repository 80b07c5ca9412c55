/**
 * Policy rules as the evaluator sees them: plain data, already validated by
 * `src/config/policy-rules.ts` (which turns `policies/*.yaml` into these). Kept in the domain so
 * the evaluator depends on nothing outside it.
 */

/** `error` rules fail the plan; `warning` rules only report. */
export type Severity = "error" | "warning";

/** What to do with a tag value that is unknown until apply. */
export type UnknownHandling = "error" | "warning";

/** A problem with the policy input itself (a policy file, the plan JSON, provider schemas). */
export interface PolicyProblem {
  readonly file: string;
  /** Dotted key path inside the file, e.g. `rules[0].kind`; empty for the whole file. */
  readonly key: string;
  readonly line: number | null;
  readonly message: string;
}

/** Which projects a rule applies to: name globs (picomatch), exclusions win. */
export interface ProjectScope {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

interface RuleBase {
  /** Unique across all policy files; shown as the rule of each violation. */
  readonly id: string;
  readonly description?: string;
  /** The file that defined the rule (`(built-in)` for the implicit Project tag rule). */
  readonly file: string;
  readonly line: number | null;
  readonly scope: ProjectScope;
  readonly severity: Severity;
}

/** The built-in rule: the Project tag names the project. Unset fields fall back to the settings. */
export interface ProjectTagRule extends RuleBase {
  readonly kind: "project-tag";
  readonly key?: string;
  readonly attributes?: readonly string[];
  readonly unknownValues?: UnknownHandling;
}

/** How a required tag's value is judged. */
export type TagMatch =
  | { readonly kind: "present" }
  | { readonly kind: "one-of"; readonly values: readonly string[] }
  /** Full match of the value against the pattern (see compileTagPattern). */
  | { readonly kind: "pattern"; readonly pattern: string };

export interface RequiredTag {
  readonly key: string;
  readonly match: TagMatch;
}

export interface RequiredTagsRule extends RuleBase {
  readonly kind: "required-tags";
  /** Resource type globs the rule checks; only taggable types are checked. */
  readonly resourceTypes: readonly string[];
  readonly tags: readonly RequiredTag[];
  readonly attributes?: readonly string[];
  readonly unknownValues?: UnknownHandling;
}

export interface DeniedResourceTypesRule extends RuleBase {
  readonly kind: "denied-resource-types";
  /** Resource type globs that may not be created or updated. */
  readonly types: readonly string[];
  /** Why, or what to use instead; appended to the violation message. */
  readonly reason?: string;
}

export interface ChangeLimitsRule extends RuleBase {
  readonly kind: "change-limits";
  /** Most resources a plan may destroy outright (replaces are counted apart). */
  readonly maxDestroys?: number;
  readonly maxReplaces?: number;
}

export type PolicyRule = ProjectTagRule | RequiredTagsRule | DeniedResourceTypesRule | ChangeLimitsRule;

/** The rules of a repository, or why they could not be read: the evaluator fails closed on the latter. */
export type PolicyRuleSet =
  | { readonly ok: true; readonly rules: readonly PolicyRule[] }
  | { readonly ok: false; readonly errors: readonly PolicyProblem[] };

/**
 * Patterns must match the whole value: an unanchored `prod` would accept `not-prod`, which is
 * never what a policy author means. The `u` flag gives one well-defined syntax for the loader's
 * validation and the evaluator.
 */
export function compileTagPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, "u");
}
