import { configBranchFor } from "../domain/apply/protected-base.js";
import { TfgateError } from "../domain/errors.js";
import type { RemoteBranches } from "./ports/remote-branches.js";

/** What judges a pull request: read from a branch its author cannot have chosen. */
export interface TrustedBase {
  /** The branch the pull request goes into. */
  readonly base: string;
  readonly defaultBranch: string;
  /** A pull request into `base` may be applied (the default branch, or a server-listed base). */
  readonly protected: boolean;
  /** Where tfgate.yaml, policies and approver teams are read: `base` when protected, else the default branch. */
  readonly configBranch: string;
  /** That branch's head commit, asked of the remote now. */
  readonly configSha: string;
}

/**
 * Finds the branch and commit whose configuration judges a pull request. Not the PR's base SHA:
 * anyone with write access can create a branch, give it a tfgate.yaml naming their own team as
 * approvers, and open a pull request into it.
 */
export async function trustedBase(
  branches: RemoteBranches,
  input: { readonly source: string; readonly env?: Readonly<Record<string, string>>; readonly base: string; readonly defaultBranch: string; readonly protectedBases: readonly string[] },
): Promise<TrustedBase> {
  const { branch, protected: isProtected } = configBranchFor(input.base, input.defaultBranch, input.protectedBases);
  const sha = await branches.head(input.source, branch, input.env);
  if (sha === null) throw new TfgateError("unknown-ref", `the branch \`${branch}\` that tfgate reads its configuration from does not exist`);
  return { base: input.base, defaultBranch: input.defaultBranch, protected: isProtected, configBranch: branch, configSha: sha };
}
