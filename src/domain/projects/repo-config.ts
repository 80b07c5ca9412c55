/**
 * What `tfgate.yaml` means, as the domain uses it: which directories are projects, how the
 * built-in Project tag rule reads tags, who may apply. Types and defaults only; reading and
 * validating the file (zod, YAML, file:line errors) is `src/config/repo-config.ts`, which produces
 * these types. The domain owns them so that detection and policy never import the parser.
 */

import type { Workflow } from "./workflow.js";

export const REPO_CONFIG_FILE = "tfgate.yaml";

/** A project named explicitly; it wins over a discovered project in the same directory. */
export interface ProjectConfig {
  readonly name: string;
  /** Relative to the repository root; no leading '/', no '..'. */
  readonly dir: string;
  /** Extra globs, relative to the project directory, whose changes also affect the project. */
  readonly when_modified: readonly string[];
  /** Projects applied before this one. */
  readonly depends_on: readonly string[];
  /** Expected value of the Project tag (default: the project name). */
  readonly project_tag?: string | undefined;
  /**
   * The tofu workspace to plan and apply in (default: `default`). Several entries may share a
   * `dir` with different workspaces: each is its own project, with its own lock and state.
   */
  readonly workspace?: string | undefined;
  /** `-var-file` arguments, relative to the project directory, in order; a change to one affects the project. */
  readonly var_files: readonly string[];
  /** `-backend-config` arguments for init: files (relative to the project directory) and key=value pairs. */
  readonly backend_config: BackendConfig;
  /** Non-secret environment variables for every step (e.g. `TF_VAR_region`); secrets belong in the server's credentials file. */
  readonly env: Readonly<Record<string, string>>;
  /** A key of `workflows` (default: the file's `workflow`). */
  readonly workflow?: string | undefined;
  /** Run this project with `tofu` or `terraform` (default: the server's TFGATE_TERRAFORM_BINARY). */
  readonly terraform_binary?: TerraformBinaryName | undefined;
  /** This project's drift checks; unset keys fall back to the top-level `drift`, then the server. */
  readonly drift?: DriftConfig | undefined;
}

/** When the default branch's head is planned to find drift; the server's settings fill what is unset. */
export interface DriftConfig {
  /** A 5-field cron expression, in UTC. */
  readonly schedule?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** The top level's `drift`: its own settings, and rules for groups of projects (a root, an environment). */
export interface TopDriftConfig extends DriftConfig {
  readonly rules?: readonly DriftRule[] | undefined;
}

/** Drift settings of the projects whose name matches one of `projects` or whose directory matches one of `dirs`. */
export interface DriftRule extends DriftConfig {
  readonly projects?: readonly string[] | undefined;
  readonly dirs?: readonly string[] | undefined;
}

export const TERRAFORM_BINARY_NAMES = ["tofu", "terraform"] as const;
export type TerraformBinaryName = (typeof TERRAFORM_BINARY_NAMES)[number];

export interface BackendConfig {
  readonly files: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

export const NO_BACKEND_CONFIG: BackendConfig = Object.freeze({ files: Object.freeze([]), values: Object.freeze({}) });
export const DEFAULT_WORKSPACE = "default";

/**
 * Variables a repository may not set through `env`: tfgate's own (the data directory, the CLI
 * configuration with the provider mirror, the workspace), extra arguments smuggled into every
 * command (`TF_CLI_ARGS*`), and what the sandbox or the dynamic loader decides.
 */
export function reservedEnvName(name: string): boolean {
  if (/^TF_VAR_/.test(name)) return false;
  return /^(TF_|TFGATE_|LD_|GO(DEBUG|MAXPROCS|TRACEBACK)$|GIT_)/.test(name) || ["PATH", "HOME", "TMPDIR", "USER", "SHELL", "CHECKPOINT_DISABLE"].includes(name);
}

/** Settings of the built-in Project tag rule. */
export interface PolicyConfig {
  readonly tag_key: string;
  /** Attributes holding a resource's tags; the first one a resource type has is used. */
  readonly tag_attributes: readonly string[];
  readonly unknown_tag_values: "error" | "warning";
}

/** More than an approval: what a project's `/apply` also waits for. `mergeable` is always required. */
export type ApplyRequirement = "up_to_date_with_base" | "checks_passing" | "mergeable";
export const APPLY_REQUIREMENTS: readonly ApplyRequirement[] = ["up_to_date_with_base", "checks_passing", "mergeable"];

/** any-of: one approval by a member of any team; all-of: an approving member of each team. */
export type ApprovalMode = "any-of" | "all-of";

/** Apply settings of the projects matching `projects` (first matching rule wins). */
export interface ApplyRule {
  /** Project name globs. */
  readonly projects: readonly string[];
  /** Replaces the repository-wide approver teams for these projects (the server's floor stays). */
  readonly approver_teams?: readonly string[] | undefined;
  readonly approvals: ApprovalMode;
  /** Added to the repository-wide `require`. */
  readonly require: readonly ApplyRequirement[];
  /** Added to the repository-wide `required_checks`. */
  readonly required_checks: readonly string[];
}

export interface ApplyConfig {
  /** Teams (org/team) whose approval lets `/apply` run, added to the server's. */
  readonly approver_teams: readonly string[];
  /** Requirements of every project's apply. */
  readonly require: readonly ApplyRequirement[];
  /** Status contexts / check names that must have reported success on the head (a missing one is unmet). */
  readonly required_checks: readonly string[];
  readonly rules: readonly ApplyRule[];
  readonly automerge: boolean;
}

export interface RepoConfig {
  readonly version: 1;
  /** Named workflows: steps before and after init, plan and apply. */
  readonly workflows: Readonly<Record<string, Workflow>>;
  /** The workflow of every project that names none (discovered ones too). */
  readonly workflow?: string | undefined;
  /** Globs of directories that are projects when they hold *.tf or *.tofu files. */
  readonly roots: readonly string[];
  readonly projects: readonly ProjectConfig[];
  readonly policy: PolicyConfig;
  readonly apply: ApplyConfig;
  /** Drift checks of every project (a project's own `drift` wins key by key). */
  readonly drift?: TopDriftConfig | undefined;
}

export const DEFAULT_POLICY_CONFIG: PolicyConfig = Object.freeze({
  tag_key: "Project",
  tag_attributes: Object.freeze(["tags_all", "tags", "terraform_labels", "labels"]),
  unknown_tag_values: "error",
});

// Automerge is off by default: most teams merge by hand after looking at the result.
export const DEFAULT_APPLY_CONFIG: ApplyConfig = Object.freeze({ approver_teams: Object.freeze([]), require: Object.freeze([]), required_checks: Object.freeze([]), rules: Object.freeze([]), automerge: false });

/** What applies when the repository has no `tfgate.yaml`. */
export const DEFAULT_REPO_CONFIG: RepoConfig = Object.freeze({
  version: 1,
  workflows: Object.freeze({}),
  roots: Object.freeze(["projects/*"]),
  projects: Object.freeze([]),
  policy: DEFAULT_POLICY_CONFIG,
  apply: DEFAULT_APPLY_CONFIG,
});
