import { dirnameOf } from "../paths.js";
import type { RepoTree } from "./repo-tree.js";

/** Whether the configuration in `dir` declares a backend (or `cloud`) in a `terraform` block. */
export function declaresBackend(tree: RepoTree, dir: string): boolean {
  for (const [file, scan] of tree.hcl) {
    if (dirnameOf(file) === dir && scan.ok && scan.summary.hasBackend) return true;
  }
  return false;
}
