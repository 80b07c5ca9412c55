import { evaluatePolicy } from "../domain/policy/evaluate-policy.js";
import { configDirsOf, createResourceLocator } from "../domain/policy/locate-resources.js";
import { readPlanChanges } from "../domain/policy/plan-changes.js";
import { policyError, type PolicyResult } from "../domain/policy/policy-result.js";
import { withRegoFindings } from "../domain/policy/rego-findings.js";
import type { Project } from "../domain/projects/discover-projects.js";
import type { PlanOutcome } from "../domain/plan/plan-outcome.js";
import type { PolicyContext } from "./load-policy-context.js";
import type { ProviderSchemas } from "./ports/provider-schemas.js";
import type { RegoEngine } from "./ports/rego-engine.js";
import type { Workspace } from "./ports/workspaces.js";

/**
 * Applies the policies to a finished plan. Runs inside the plan job, while the initialised
 * workspace still exists: provider schemas are read from it. Returns null when there is no plan
 * to judge. Every failure to judge is an `error` result, never a pass.
 */
export async function judgePlan(input: {
  readonly schemas: ProviderSchemas;
  /** Runs the trusted ref's Rego policies (conftest), when it has any. */
  readonly rego: RegoEngine;
  readonly policy: PolicyContext;
  readonly project: Project;
  readonly outcome: PlanOutcome;
  readonly workspace: Workspace;
  readonly workdir: string;
  readonly signal: AbortSignal;
  /** The project's plan credentials (providers schema runs in the sandbox like the plan). */
  readonly credentials: Readonly<Record<string, string>>;
}): Promise<PolicyResult | null> {
  const { outcome, project } = input;
  if (outcome.status === "error") return null;
  try {
    // A plan without changes has nothing to check: no need to start every provider for schemas.
    const taggable =
      outcome.status === "no-changes"
        ? () => undefined
        : await input.schemas.taggableLookup({ workspace: input.workspace, workdir: input.workdir, planJson: outcome.planJson, credentials: input.credentials, binary: input.project.run.binary, signal: input.signal });
    const files = await input.workspace.readConfigFiles(configDirsOf(outcome.planJson, project.dir));
    const locate = createResourceLocator({ planJson: outcome.planJson, projectDir: project.dir, files });
    const own = evaluatePolicy({
      project: { name: project.name, expectedTag: input.policy.expectedTags.get(project.name) },
      planJson: outcome.planJson,
      taggable,
      rules: input.policy.rules,
      settings: input.policy.settings,
      locate,
    });
    const sources = input.policy.rego;
    if (sources.length === 0) return own;
    const rego = await input.rego.evaluate({ sources, planJson: outcome.planJson, signal: input.signal });
    const plan = readPlanChanges(outcome.planJson);
    const byAddress = new Map(plan.ok ? plan.changes.map((c) => [c.address, c] as const) : []);
    return withRegoFindings(own, rego, sources, (address) => {
      const change = byAddress.get(address);
      return change ? locate(change) : undefined;
    });
  } catch (err) {
    return policyError("provider schemas", err instanceof Error ? err.message : String(err));
  }
}
