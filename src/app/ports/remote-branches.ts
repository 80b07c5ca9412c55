/** Branches of a remote repository as they are now (not as a mirror last saw them). */
export interface RemoteBranches {
  /** The commit `branch` points at; null when the remote has no such branch. */
  head(source: string, branch: string, env?: Readonly<Record<string, string>>): Promise<string | null>;
}
