import { evaluatePolicy } from "../domain/policy/evaluate-policy.js";
import { configDirsOf, createResourceLocator } from "../domain/policy/locate-resources.js";
import { policyError, type PolicyResult } from "../domain/policy/policy-result.js";
import type { Project } from "../domain/projects/discover-projects.js";
import type { PlanOutcome } from "../domain/plan/plan-outcome.js";
import type { PolicyContext } from "./load-policy-context.js";
import type { ProviderSchemas } from "./ports/provider-schemas.js";
import type { Workspace } from "./ports/workspaces.js";

/**
 * Applies the policies to a finished plan. Runs inside the plan job, while the initialised
 * workspace still exists: provider schemas are read from it. Returns null when there is no plan
 * to judge. Every failure to judge is an `error` result, never a pass.
 */
export async function judgePlan(input: {
  readonly schemas: ProviderSchemas;
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
    return evaluatePolicy({
      project: { name: project.name, expectedTag: input.policy.expectedTags.get(project.name) },
      planJson: outcome.planJson,
      taggable,
      rules: input.policy.rules,
      settings: input.policy.settings,
      locate: createResourceLocator({ planJson: outcome.planJson, projectDir: project.dir, files }),
    });
  } catch (err) {
    return policyError("provider schemas", err instanceof Error ? err.message : String(err));
  }
}
