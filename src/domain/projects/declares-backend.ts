import type { RepoTree } from "./repo-tree.js";

/** Whether the configuration in `dir` declares a backend (or `cloud`) in a `terraform` block. */
export function declaresBackend(tree: RepoTree, dir: string): boolean {
  return tree.configFilesIn(dir).some((file) => {
    const scan = tree.scan(file);
    return scan?.ok === true && scan.summary.hasBackend;
  });
}
