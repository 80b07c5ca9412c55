import { scanConfigText } from "../../src/domain/projects/hcl-scan.js";
import { createRepoTree, isConfigFile, type RepoTree } from "../../src/domain/projects/repo-tree.js";
import { sourceHints } from "../../src/domain/projects/source-hints.js";

/** A RepoTree over in-memory files, built as the git reader builds one (hints from the bytes, scans on demand). */
export function treeFromTexts(files: Record<string, string>, symlinks: readonly string[] = [], scanned?: string[]): RepoTree {
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
  return createRepoTree(Object.keys(files), symlinks, config);
}
