import { parseRepoConfig, type RepoConfigResult } from "../config/repo-config.js";
import { REPO_CONFIG_FILE } from "../domain/projects/repo-config.js";
import { isTfgateError } from "../domain/errors.js";
import { gitFetchEnv } from "./git-fetch-env.js";
import type { RemoteBranches } from "./ports/remote-branches.js";
import type { RepoReader } from "./ports/repo-reader.js";
import type { ChangeRequest, RepoRef, Vcs } from "./ports/vcs.js";
import type { Workspaces } from "./ports/workspaces.js";
import { repoNameOf } from "./pr-run.js";
import { trustedBase, type TrustedBase } from "./trusted-base.js";
import type { ApplyFloor } from "../domain/apply/project-requirements.js";

export interface PrContextDeps {
  readonly vcs: Vcs;
  readonly branches: RemoteBranches;
  readonly workspaces: Workspaces;
  /** One reader per mirror, kept: its tree and scan caches make the next detection cheap. */
  readonly readerFor: (mirrorDir: string) => RepoReader;
  readonly repoKeyFor: (source: string) => string;
  readonly settings: {
    readonly gitBaseUrl: string;
    /** Approver teams set on the server; the trusted branch's tfgate.yaml may add more. */
    readonly approverTeams: readonly string[];
    /** What every apply needs, whatever tfgate.yaml says. */
    readonly applyFloor: ApplyFloor;
    /** Bases besides the default branch that may be applied and whose configuration is trusted. */
    readonly protectedBases: readonly string[];
  };
}

/** Everything plan, apply and the gate need to know about a pull request's repository, built in one place. */
export interface PrContext {
  readonly repo: RepoRef;
  /** `owner/name`. */
  readonly name: string;
  /** Where git fetches the repository from. */
  readonly source: string;
  /** The repository's directory name under the mirrors, checkouts and state. */
  readonly repoKey: string;
  /** git's environment for fetching (an installation token as a header over HTTPS). */
  readonly fetchEnv: Record<string, string>;
  /** The branch and commit whose configuration judges this pull request. */
  readonly trust: TrustedBase;
  /** The repository's mirror, holding the base, the head and the trusted configuration commit. */
  readonly reader: RepoReader;
}

export type PrContextResult = { readonly status: "ok"; readonly context: PrContext } | { readonly status: "refused"; readonly message: string };

/**
 * Resolves the trusted configuration branch (now, on the remote) and brings the mirror up to date
 * with the commits the pull request needs. "refused" when the configuration branch does not exist.
 */
export async function buildPrContext(deps: PrContextDeps, repo: RepoRef, pr: ChangeRequest): Promise<PrContextResult> {
  const source = `${deps.settings.gitBaseUrl}/${repo.owner}/${repo.name}.git`;
  const repoKey = deps.repoKeyFor(source);
  const fetchEnv = await gitFetchEnv(deps.vcs, repo, source);
  let trust: TrustedBase;
  try {
    trust = await trustedBase(deps.branches, { source, env: fetchEnv, base: pr.baseRef, defaultBranch: pr.defaultBranch, protectedBases: deps.settings.protectedBases });
  } catch (err) {
    if (!isTfgateError(err)) throw err;
    return { status: "refused", message: err.message };
  }
  const mirror = await deps.workspaces.mirror({ repoKey, source, shas: [pr.baseSha, pr.headSha, trust.configSha], env: fetchEnv });
  return { status: "ok", context: { repo, name: repoNameOf(repo), source, repoKey, fetchEnv, trust, reader: deps.readerFor(mirror) } };
}

/** tfgate.yaml as the trusted branch has it (never the pull request's own). */
export async function trustedConfig(context: PrContext): Promise<RepoConfigResult> {
  return parseRepoConfig((await context.reader.readTexts(context.trust.configSha, [REPO_CONFIG_FILE])).get(REPO_CONFIG_FILE) ?? null);
}

/** The server's approver teams and those of the trusted tfgate.yaml. */
export function approverTeams(serverTeams: readonly string[], configTeams: readonly string[]): string[] {
  return [...new Set([...serverTeams, ...configTeams])];
}
