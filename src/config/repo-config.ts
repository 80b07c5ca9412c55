/**
 * `tfgate.yaml` at the repository root: which directories are projects, and how they relate.
 * Validated with zod; every error names the file, the line and the key, because the person
 * reading it is looking at a PR and needs to know where to look. The result is the domain's
 * RepoConfig (src/domain/projects/repo-config.ts): parsing lives here, the meaning there.
 */
import { z } from "zod";
import { LineCounter, parseDocument, type Document } from "yaml";
import { PROJECT_NAME, PROJECT_NAME_RULE } from "../domain/projects/project-name.js";
import {
  APPLY_REQUIREMENTS,
  TERRAFORM_BINARY_NAMES,
  reservedEnvName,
  DEFAULT_REPO_CONFIG,
  REPO_CONFIG_FILE,
  type ApplyConfig,
  type ApplyRequirement,
  type ApplyRule,
  type PolicyConfig,
  type ProjectConfig,
  type RepoConfig,
} from "../domain/projects/repo-config.js";
import {
  BUILTIN_STEPS,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  MAX_STEP_TIMEOUT_SECONDS,
  WORKFLOW_STAGES,
  type WorkflowStage,
} from "../domain/projects/workflow.js";
import { driftConfigSchema, topDriftConfigSchema } from "./drift-config-schema.js";
import { lineOf, schemaProblems, yamlSyntaxProblems, type YamlProblem } from "./yaml-location.js";

const defaults = DEFAULT_REPO_CONFIG;

// Descriptions (`.describe()`/`.meta()`) do not change validation: they end up in
// schema/tfgate.schema.json, which editors show as tooltips (see repo-config-json-schema.ts).
const projectName = z.string().regex(PROJECT_NAME, PROJECT_NAME_RULE);
const repoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a path inside the repository")
  // JSON Schema cannot carry the refinement itself; this pattern says the same for editors.
  .meta({ not: { pattern: "^/|(^|/)\\.\\.(/|$)" } });

/** A file named relative to the project directory: `../shared/x.tfvars` may leave it, not the repository (checked at discovery). */
const relativeFile = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.includes("\0"), "a path relative to the project directory")
  .meta({ not: { pattern: "^/" } });

const stepTimeout = z
  .number()
  .int()
  .min(1)
  .max(MAX_STEP_TIMEOUT_SECONDS)
  .default(DEFAULT_STEP_TIMEOUT_SECONDS)
  .describe(`Seconds before the step is stopped and fails (default ${DEFAULT_STEP_TIMEOUT_SECONDS}, at most ${MAX_STEP_TIMEOUT_SECONDS}).`);

const workflowStepSchema = z
  .union([
    z.enum(BUILTIN_STEPS).transform((name) => ({ kind: "builtin" as const, name, timeoutSeconds: DEFAULT_STEP_TIMEOUT_SECONDS })),
    z.strictObject({ builtin: z.enum(BUILTIN_STEPS), timeout_seconds: stepTimeout }).transform((s) => ({ kind: "builtin" as const, name: s.builtin, timeoutSeconds: s.timeout_seconds })),
    z
      .strictObject({
        run: z.string().min(1).describe("A shell command (`/bin/sh -c`), run in the project directory in the stage's sandbox; the server must allow `run:` steps."),
        name: z.string().min(1).max(80).optional().describe("How the summary names the step (default: the command)."),
        timeout_seconds: stepTimeout,
      })
      .transform((s) => ({ kind: "run" as const, name: s.name ?? s.run, command: s.run, timeoutSeconds: s.timeout_seconds })),
  ])
  .describe("`fmt-check`, `validate`, `{builtin: NAME, timeout_seconds: N}` or `{run: COMMAND, name: NAME, timeout_seconds: N}`.");

const workflowSchema = z
  .strictObject(Object.fromEntries(WORKFLOW_STAGES.map((stage) => [stage, z.array(workflowStepSchema).optional()])) as Record<WorkflowStage, z.ZodOptional<z.ZodArray<typeof workflowStepSchema>>>)
  .describe("Steps by stage: before_init, after_init, before_plan, after_plan, before_apply, after_apply.");

const workflowName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a workflow name uses letters, digits, '.', '_' and '-'");

export const projectConfigSchema = z
  .strictObject({
    name: projectName.describe("The project's name: parts of letters, digits, '.', '_', '-' joined by '/' (e.g. `web/prod`), each starting with a letter or digit; at most 200 characters. Used in statuses, locks and `/plan NAME`. Default for a discovered project: its directory below the root glob's fixed prefix."),
    dir: repoPath.describe("The project's directory, relative to the repository root (no leading '/', no '..')."),
    when_modified: z
      .array(z.string().min(1))
      .default([])
      .describe("Extra globs, relative to the project directory, whose changes also affect the project."),
    depends_on: z.array(projectName).default([]).describe("Projects applied before this one (apply order)."),
    project_tag: z
      .string()
      .min(1)
      .optional()
      .describe("Expected value of the Project tag on this project's resources (default: the project name)."),
    workspace: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,89}$/, "a workspace name uses letters, digits, '.', '_' and '-' and starts with a letter or digit")
      .optional()
      .describe("The tofu workspace this project plans and applies in (default: `default`). Several projects may share a `dir` with different workspaces; each has its own lock and state."),
    var_files: z
      .array(relativeFile)
      .default([])
      .describe("Files passed as `-var-file`, relative to the project directory, in this order. A change to one of them affects the project."),
    backend_config: z
      .strictObject({
        files: z.array(relativeFile).default([]).describe("Files passed as `-backend-config=FILE` to init, relative to the project directory."),
        values: z
          .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "a backend setting name"), z.string())
          .default({})
          .describe("Settings passed as `-backend-config=KEY=VALUE` to init (no secrets: use the server's credentials file)."),
      })
      .default(() => ({ files: [], values: {} }))
      .describe("Backend settings for init, as `-backend-config` arguments."),
    env: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name uses letters, digits and '_'")
          .refine((name) => !reservedEnvName(name), "tfgate sets this variable itself (TF_* other than TF_VAR_*, TFGATE_*, PATH, HOME, TMPDIR, LD_*, GIT_*…)"),
        z.string(),
      )
      .default({})
      .describe("Non-secret environment variables for this project's steps (e.g. `TF_VAR_region`). Secrets belong in the server's credentials file, which wins on a clash."),
    workflow: workflowName.optional().describe("The workflow (a key of `workflows`) whose steps run around this project's init, plan and apply (default: `workflow`)."),
    terraform_binary: z
      .enum(TERRAFORM_BINARY_NAMES)
      .optional()
      .describe("Run this project with `tofu` or `terraform` (default: the server's TFGATE_TERRAFORM_BINARY). The server looks for the binary beside its default one, then on its PATH."),
    drift: driftConfigSchema.optional(),
  })
  .describe("A project named explicitly; it wins over a discovered project in the same directory.");

export const policyConfigSchema = z.strictObject({
  tag_key: z.string().min(1).default(defaults.policy.tag_key).describe("The tag every taggable resource must carry, with the project's name as value. On Google resources it is looked up lowercased (label keys are lowercase only)."),
  tag_attributes: z
    .array(z.string().min(1))
    .min(1)
    .default(() => [...defaults.policy.tag_attributes])
    .describe("Attributes holding a resource's tags; the first one a resource type has is used. Computed maps (AWS tags_all, Google terraform_labels) include the provider's default_tags / default_labels."),
  unknown_tag_values: z
    .enum(["error", "warning"])
    .default(defaults.policy.unknown_tag_values)
    .describe("Whether a tag value known only after apply is a violation (error) or a warning."),
});

const teamSlug = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "write approver teams as org/team");

const applyRequirement = z.enum(APPLY_REQUIREMENTS as [ApplyRequirement, ...ApplyRequirement[]]);
const requireList = z
  .array(applyRequirement)
  .default([])
  .describe("What `/apply` also waits for: `up_to_date_with_base` (the branch contains the base's head), `checks_passing` (every other status and check on the head passed), `mergeable` (always required).");

const requiredChecks = z
  .array(z.string().min(1))
  .default([])
  .describe("Status contexts or check names (another app's) that must have reported success on the head; one that has not reported at all is unmet too. Use it with or instead of `checks_passing`, which only judges the checks that did report.");

const applyRuleSchema = z
  .strictObject({
    projects: z.array(z.string().min(1)).min(1).describe("Project name globs (`payments/*`); the first matching rule applies."),
    approver_teams: z
      .array(teamSlug)
      .min(1)
      .optional()
      .describe("Teams whose approval these projects need, instead of the repository-wide approver teams (the server's floor still applies)."),
    approvals: z.enum(["any-of", "all-of"]).default("any-of").describe("`any-of`: one approval by a member of any of the teams; `all-of`: an approval by a member of each team."),
    require: requireList,
    required_checks: requiredChecks,
  })
  .describe("Apply settings of some projects.");

export const applyConfigSchema = z.strictObject({
  approver_teams: z
    .array(teamSlug)
    .default([])
    .describe("Teams (org/team) whose members' approval lets `/apply` run (an approval of the head commit, given after the plan was posted); added to the server's TFGATE_APPROVER_TEAMS. Read from the default branch (or a protected base), never from the pull request."),
  require: requireList,
  required_checks: requiredChecks,
  rules: z.array(applyRuleSchema).default([]).describe("Per-project approvers and requirements; the first rule whose `projects` matches a project applies to it."),
  automerge: z
    .boolean()
    .default(defaults.apply.automerge)
    .describe("Merge the pull request once every planned project is applied (the App needs `contents: write`)."),
});

export const repoConfigSchema = z.strictObject({
  version: z.literal(1).default(1).describe("Format version of tfgate.yaml; 1 is the only one."),
  workflows: z
    .record(workflowName, workflowSchema)
    .default({})
    .describe("Named workflows: built-in steps (`fmt-check`, `validate`) and `run:` commands before and after init, plan and apply."),
  workflow: workflowName.optional().describe("The workflow of every project that names none, discovered ones included."),
  roots: z
    .array(z.string().min(1))
    .default(() => [...defaults.roots])
    .describe("Globs of directories (from the repository root) that are projects when they hold *.tf or *.tofu files."),
  projects: z
    .array(projectConfigSchema)
    .default([])
    .describe("Explicit projects; they win over discovered ones in the same directory."),
  policy: policyConfigSchema
    .default(() => ({ ...defaults.policy, tag_attributes: [...defaults.policy.tag_attributes] }))
    .describe("Settings of the built-in Project tag rule."),
  apply: applyConfigSchema
    .default(() => ({ ...defaults.apply, approver_teams: [...defaults.apply.approver_teams], require: [], required_checks: [], rules: [] }))
    .describe("Who may apply, and what happens once everything is applied."),
  drift: topDriftConfigSchema.optional(),
});

// The schema produces the domain's types, key for key: parseRepoConfig's return type checks that every
// domain field is produced; these check that the schema produces no key the domain does not know.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
type Output<S extends z.ZodType> = z.output<S>;
const _sameKeys: [
  SameKeys<Output<typeof repoConfigSchema>, RepoConfig>,
  SameKeys<Output<typeof projectConfigSchema>, ProjectConfig>,
  SameKeys<Output<typeof policyConfigSchema>, PolicyConfig>,
  SameKeys<Output<typeof applyConfigSchema>, ApplyConfig>,
  SameKeys<Output<typeof applyRuleSchema>, ApplyRule>,
] = [true, true, true, true, true];

export type ConfigProblem = YamlProblem;

export type RepoConfigResult =
  | { readonly ok: true; readonly config: RepoConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export function formatConfigProblem(p: ConfigProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return p.key ? `${where}: ${p.key}: ${p.message}` : `${where}: ${p.message}`;
}

/** Parses `tfgate.yaml` text. `text === null` means the file does not exist: defaults apply. */
export function parseRepoConfig(text: string | null, file = REPO_CONFIG_FILE): RepoConfigResult {
  if (text === null) return { ok: true, config: DEFAULT_REPO_CONFIG };
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false, problems: yamlSyntaxProblems(doc, counter, file) };
  const raw: unknown = doc.toJS() ?? {};
  const parsed = repoConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error.issues, doc, counter, file);
    return { ok: false, problems };
  }
  const config = parsed.data;
  const problems = crossCheck(config, doc, counter, file);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** Rules zod cannot express per field: unique dirs. Names are checked at discovery (depends_on may
 * name discovered projects, and two projects sharing a name block only the changes that touch them). */
function crossCheck(config: RepoConfig, doc: Document, counter: LineCounter, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const dirs = new Set<string>();
  config.projects.forEach((p, i) => {
    const dir = p.dir.replace(/\/+$/, "");
    const key = `${dir}\0${p.workspace ?? "default"}`;
    if (dirs.has(key)) {
      const what = p.workspace === undefined ? `directory "${dir}"` : `directory "${dir}" with workspace "${p.workspace}"`;
      problems.push({ file, line: lineOf(doc, counter, ["projects", i, "dir"]), key: `projects[${i}].dir`, message: `another project already uses ${what} (give each a distinct workspace)` });
    }
    dirs.add(key);
  });
  const known = (name: string | undefined) => name === undefined || Object.hasOwn(config.workflows, name);
  if (!known(config.workflow)) problems.push({ file, line: lineOf(doc, counter, ["workflow"]), key: "workflow", message: `no workflow is named "${config.workflow}" under workflows` });
  config.projects.forEach((p, i) => {
    if (!known(p.workflow)) problems.push({ file, line: lineOf(doc, counter, ["projects", i, "workflow"]), key: `projects[${i}].workflow`, message: `no workflow is named "${p.workflow}" under workflows` });
  });
  for (const [name, workflow] of Object.entries(config.workflows)) {
    (workflow.before_init ?? []).forEach((step, j) => {
      if (step.kind === "builtin" && step.name === "validate") {
        problems.push({ file, line: lineOf(doc, counter, ["workflows", name, "before_init", j]), key: `workflows.${name}.before_init[${j}]`, message: "validate needs an initialised directory: put it after_init or later" });
      }
    });
  }
  return problems;
}
