import type { FileChange } from "../../domain/projects/file-change.js";
import type { RepoTree } from "../../domain/projects/repo-tree.js";

/** Read-only access to a repository's objects. */
export interface RepoReader {
  /** Resolves refs to commit SHAs (in order); throws TfgateError("unknown-ref") naming the bad one. */
  resolveRefs(refs: readonly string[]): Promise<string[]>;
  mergeBase(a: string, b: string): Promise<string>;
  /**
   * The tree at a commit; `withHcl` also reads every configuration file (for module calls) and
   * every symbolic link's target (detection checks where the planned projects' links lead).
   */
  readTree(sha: string, withHcl: boolean): Promise<RepoTree>;
  /** What `head` changed since its merge base with `base` (what a pull request shows). */
  diffFromMergeBase(base: string, head: string): Promise<FileChange[]>;
  /** Paths of the regular files anywhere below `dir` at a commit (no links, no submodules), sorted. */
  listFilesBelow(sha: string, dir: string): Promise<string[]>;
  /** Files' texts at a commit, read in one batch; absent files are missing from the map. */
  readTexts(sha: string, paths: readonly string[]): Promise<Map<string, string>>;
  /** Releases the reader's long-lived git process. */
  close(): void;
}
