import { isPolicyFile, isRegoSource, loadPolicyRules, POLICY_DIR } from "../config/policy-rules.js";
import type { RepoConfig } from "../domain/projects/repo-config.js";
import type { PolicySettings } from "../domain/policy/policy-result.js";
import type { PolicyRuleSet } from "../domain/policy/policy-rule.js";
import type { PolicySource } from "../domain/policy/rego-findings.js";
import type { RepoReader } from "./ports/repo-reader.js";

/**
 * Everything that judges a plan. It comes from a trusted ref only (the server: the default
 * branch's head or a protected base's; the CLI: --base): a change cannot weaken it.
 */
export interface PolicyContext {
  readonly rules: PolicyRuleSet;
  readonly settings: PolicySettings;
  /** Per-project overrides of the expected Project tag value (tfgate.yaml `project_tag`). */
  readonly expectedTags: ReadonlyMap<string, string>;
  /** `.rego` policies and their data documents (empty: no Rego policies, conftest is not run). */
  readonly rego: readonly PolicySource[];
}

/** Reads policies/*.yaml at `configSha`; `baseConfig` is tfgate.yaml as read from the same commit. */
export async function loadPolicyContext(reader: RepoReader, configSha: string, baseConfig: RepoConfig): Promise<PolicyContext> {
  const below = await reader.listFilesBelow(configSha, POLICY_DIR);
  const paths = below.filter(isPolicyFile);
  const regoPaths = below.filter(isRegoSource);
  // Data alone evaluates nothing: without a .rego file conftest is not started at all.
  const withRego = regoPaths.some((p) => p.endsWith(".rego")) ? regoPaths : [];
  const texts = await reader.readTexts(configSha, [...paths, ...withRego]);
  // A listed file whose text could not be read (a blob missing from a partial mirror) must not
  // vanish from the rules: every plan's policy is then an error naming it (fail closed).
  const unread = [...paths, ...withRego].filter((path) => !texts.has(path));
  const rules = unread.length > 0 ? { ok: false as const, errors: unread.map((file) => ({ file, key: "", line: null, message: "this policy file could not be read from the repository" })) } : loadPolicyRules(paths.map((path) => ({ path, text: texts.get(path) ?? "" })));
  return {
    rules,
    settings: {
      tagKey: baseConfig.policy.tag_key,
      tagAttributes: baseConfig.policy.tag_attributes,
      unknownTagValues: baseConfig.policy.unknown_tag_values,
    },
    expectedTags: new Map(baseConfig.projects.flatMap((p) => (p.project_tag ? [[p.name, p.project_tag] as const] : []))),
    rego: withRego.map((path) => ({ path, text: texts.get(path) ?? "" })),
  };
}
