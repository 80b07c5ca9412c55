/** Branches of a remote repository as they are now (not as a mirror last saw them). */
export interface RemoteBranches {
  /** The commit `branch` points at; null when the remote has no such branch. */
  head(source: string, branch: string, env?: Readonly<Record<string, string>>): Promise<string | null>;
  /** The branch the remote's HEAD names (its default branch); null when it names none. */
  defaultBranch(source: string, env?: Readonly<Record<string, string>>): Promise<string | null>;
}
