import { scanConfigText } from "../../src/domain/projects/hcl-scan.js";
import { createRepoTree, isConfigFile, type RepoTree } from "../../src/domain/projects/repo-tree.js";
import { sourceHints } from "../../src/domain/projects/source-hints.js";

/**
 * A RepoTree over in-memory files, built as the git reader builds one (hints from the bytes, scans
 * on demand). Symbolic links are given as a list (targets unknown) or as path → target.
 */
export function treeFromTexts(files: Record<string, string>, symlinks: readonly string[] | Readonly<Record<string, string>> = [], scanned?: string[]): RepoTree {
  const config = new Map(
    Object.entries(files)
      .filter(([path]) => isConfigFile(path))
      .map(([path, text]) => [
        path,
        {
          hints: path.endsWith(".json") ? null : sourceHints(Buffer.from(text, "utf8")),
          scan: () => {
            scanned?.push(path);
            return scanConfigText(path, text);
          },
        },
      ]),
  );
  const targets = Array.isArray(symlinks) ? new Map<string, string>() : new Map(Object.entries(symlinks));
  const paths: readonly string[] = Array.isArray(symlinks) ? symlinks : Object.keys(symlinks);
  return createRepoTree(Object.keys(files), paths, config, targets);
}
