import { formatConfigProblem, parseRepoConfig } from "../config/repo-config.js";
import { declaresBackend } from "../domain/projects/declares-backend.js";
import { discoverProjects, type Project } from "../domain/projects/discover-projects.js";
import { REPO_CONFIG_FILE, type RepoConfig } from "../domain/projects/repo-config.js";
import { loadPolicyContext, type PolicyContext } from "./load-policy-context.js";
import type { RemoteBranches } from "./ports/remote-branches.js";
import type { RepoReader } from "./ports/repo-reader.js";
import type { Workspaces } from "./ports/workspaces.js";

/** A repository as drift checks address it. */
export interface DriftRepo {
  /** `owner/name`: records, locks and credentials scoped to repositories. */
  readonly name: string;
  /** Where git fetches it from. */
  readonly source: string;
  /** Its directory name under mirrors, checkouts and state. */
  readonly key: string;
  /** git's environment for fetching (an installation token as a header over HTTPS). */
  readonly fetchEnv?: Readonly<Record<string, string>>;
}

export interface DriftTargetsDeps {
  readonly branches: RemoteBranches;
  readonly workspaces: Workspaces;
  readonly readerFor: (mirrorDir: string) => RepoReader;
}

/** The projects of the default branch's head, with what planning them needs. */
export interface DriftTargets {
  readonly repo: DriftRepo;
  readonly sha: string;
  readonly config: RepoConfig;
  /** The policies of that commit, which judge each drifted plan as they judge pull requests'. */
  readonly policy: PolicyContext;
  readonly projects: readonly { readonly project: Project; readonly localState: boolean }[];
  /** What discovery refused (a symlinked project, a misnamed directory): logged, never blocking the others. */
  readonly problems: readonly string[];
}

export type DriftTargetsResult = { readonly status: "ok"; readonly targets: DriftTargets } | { readonly status: "error"; readonly message: string };

/**
 * Resolves the default branch's head on the remote (not the mirror's possibly stale copy), brings
 * the mirror to it and discovers the projects with tfgate.yaml of that commit. With `sha`, that
 * commit instead (a check resumed after a restart plans what it was started for).
 */
export async function driftTargets(deps: DriftTargetsDeps, repo: DriftRepo, sha?: string): Promise<DriftTargetsResult> {
  let head = sha ?? null;
  if (head === null) {
    const branch = await deps.branches.defaultBranch(repo.source, repo.fetchEnv);
    if (branch === null) return { status: "error", message: `${repo.name} has no default branch (its HEAD names no branch)` };
    head = await deps.branches.head(repo.source, branch, repo.fetchEnv);
    if (head === null) return { status: "error", message: `${repo.name}: the default branch \`${branch}\` does not exist` };
  }
  const mirror = await deps.workspaces.mirror({ repoKey: repo.key, source: repo.source, shas: [head], env: repo.fetchEnv });
  const reader = deps.readerFor(mirror);
  const parsed = parseRepoConfig((await reader.readTexts(head, [REPO_CONFIG_FILE])).get(REPO_CONFIG_FILE) ?? null);
  if (!parsed.ok) return { status: "error", message: parsed.problems.map(formatConfigProblem).join("\n") };
  const [tree, policy] = await Promise.all([reader.readTree(head, true), loadPolicyContext(reader, head, parsed.config)]);
  const discovery = discoverProjects(tree, parsed.config);
  return {
    status: "ok",
    targets: { repo, sha: head, config: parsed.config, policy, projects: discovery.projects.map((project) => ({ project, localState: !declaresBackend(tree, project.dir) })), problems: discovery.problems.map((p) => p.message) },
  };
}
