import picomatch from "picomatch";
import { checkChangeLimits } from "./check-change-limits.js";
import { checkDeniedTypes } from "./check-denied-types.js";
import { checkProjectTag } from "./check-project-tag.js";
import { checkRequiredTags } from "./check-required-tags.js";
import type { ResourceLocator } from "./locate-resources.js";
import { readPlanChanges, type PlannedChange } from "./plan-changes.js";
import { DEFAULT_POLICY_SETTINGS, policyError, type PolicyResult, type PolicySettings, type PolicyWarning, type Violation } from "./policy-result.js";
import type { PolicyProblem, PolicyRule, PolicyRuleSet, ProjectTagRule } from "./policy-rule.js";
import type { PolicyProject, RuleContext } from "./rule-context.js";
import { tagAttributesOf, type TaggableLookup } from "./taggable-lookup.js";

export interface PolicyInput {
  readonly project: PolicyProject;
  /** `tofu show -json <planfile>` output, parsed (JSON plan format 1.x). */
  readonly planJson: unknown;
  readonly taggable: TaggableLookup;
  /** From loadPolicyRules on the base branch's policies/; `{ok: true, rules: []}` when there is none. */
  readonly rules: PolicyRuleSet;
  /** tfgate.yaml `policy:` (from the base branch); defaults when absent. */
  readonly settings?: PolicySettings;
  /** Finds the configuration file:line of a resource; the plan JSON has no source positions. */
  readonly locate?: ResourceLocator;
}

/** Applies when policies/ holds no project-tag rule: the Project tag is required even with no policies/ at all. */
export const BUILT_IN_PROJECT_TAG_RULE: ProjectTagRule = {
  id: "project-tag",
  kind: "project-tag",
  description: "Every taggable resource carries the Project tag naming its project.",
  file: "(built-in)",
  line: null,
  scope: { include: ["*"], exclude: [] },
  severity: "error",
};

export function rulesForProject(rules: readonly PolicyRule[], project: string): PolicyRule[] {
  const all = rules.some((r) => r.kind === "project-tag") ? rules : [BUILT_IN_PROJECT_TAG_RULE, ...rules];
  return all.filter((r) => {
    const included = r.scope.include.length === 0 || picomatch.isMatch(project, [...r.scope.include], { dot: true });
    return included && !(r.scope.exclude.length > 0 && picomatch.isMatch(project, [...r.scope.exclude], { dot: true }));
  });
}

/** Judges one project's plan. Never throws for bad input: that is an `error` result (fail closed). */
export function evaluatePolicy(input: PolicyInput): PolicyResult {
  if (!input.rules.ok) return { status: "error", errors: input.rules.errors };
  const plan = readPlanChanges(input.planJson);
  if (!plan.ok) return policyError("plan JSON", plan.message);

  const settings = input.settings ?? DEFAULT_POLICY_SETTINGS;
  const violations: Violation[] = [];
  const warnings: PolicyWarning[] = [];
  const problems: PolicyProblem[] = [];
  const attributeCache = new Map<string, readonly string[] | undefined>();
  const reportedMissingSchema = new Set<string>();

  const ctx: RuleContext = {
    project: input.project,
    expectedTag: input.project.expectedTag ?? input.project.name,
    changes: plan.changes,
    tagAttributes(change: PlannedChange, preference: readonly string[]) {
      const cacheKey = `${change.provider_name}\u0000${change.type}\u0000${preference.join("\u0000")}`;
      if (attributeCache.has(cacheKey)) return attributeCache.get(cacheKey);
      const mapAttributes = input.taggable(change.provider_name, change.type);
      const found = mapAttributes === undefined ? undefined : tagAttributesOf(mapAttributes, preference);
      attributeCache.set(cacheKey, found);
      const schemaKey = `${change.provider_name} ${change.type}`;
      if (found === undefined && !reportedMissingSchema.has(schemaKey)) {
        reportedMissingSchema.add(schemaKey);
        problems.push({
          file: "provider schemas",
          key: `${change.provider_name}.${change.type}`,
          line: null,
          message: `no schema for resource type ${change.type} (${change.address}): cannot tell whether it is taggable`,
        });
      }
      return found;
    },
    report(rule, change, message, options) {
      const where = change && input.locate ? input.locate(change) : undefined;
      const finding: Violation = {
        address: change?.address ?? "",
        rule: rule.id,
        message,
        ...(where ? { file: where.file, line: where.line } : {}),
      };
      const asWarning = rule.severity === "warning" || options?.unknownValue === "warning";
      (asWarning ? warnings : violations).push(finding);
    },
  };

  for (const rule of rulesForProject(input.rules.rules, input.project.name)) {
    switch (rule.kind) {
      case "project-tag":
        checkProjectTag(rule, settings, ctx);
        break;
      case "required-tags":
        checkRequiredTags(rule, settings, ctx);
        break;
      case "denied-resource-types":
        checkDeniedTypes(rule, ctx);
        break;
      case "change-limits":
        checkChangeLimits(rule, ctx);
        break;
    }
  }

  if (problems.length > 0) return { status: "error", errors: problems };
  return violations.length > 0 ? { status: "failed", violations, warnings } : { status: "passed", warnings };
}
