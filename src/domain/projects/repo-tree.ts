import { dirnameOf } from "../paths.js";
import type { HclScanResult } from "./hcl-scan.js";

/** A configuration file as a tree holds it: what a byte search found, and the full scan on demand. */
export interface ConfigFile {
  /** Module sources found by a byte search (see sourceHints); null when it cannot tell. */
  readonly hints: readonly string[] | null;
  /** Scans the file; called at most once per tree. */
  scan(): HclScanResult;
}

/** What detection knows of the repository at one ref. */
export interface RepoTree {
  /** Every regular file, repository-relative with `/` separators. */
  readonly files: readonly string[];
  /** Paths that are symbolic links (git mode 120000). */
  readonly symlinks: readonly string[];
  /**
   * A link's target as git stores it (the blob's text); null when `path` is no link or the tree
   * was read without its targets (a base tree, which only tells which projects were deleted).
   */
  linkTarget(path: string): string | null;
  /** Configuration files (`*.tf`, `*.tofu`, `*.tf.json`, `*.tofu.json`) whose contents were read. */
  readonly configFiles: readonly string[];
  /** The configuration files directly in `dir`, sorted. */
  configFilesIn(dir: string): readonly string[];
  /** A configuration file's scan, made on first use; undefined when the tree holds no such file. */
  scan(path: string): HclScanResult | undefined;
  /** See ConfigFile.hints; null for a path the tree holds no contents of. */
  sourceHints(path: string): readonly string[] | null;
}

const CONFIG_FILE = /\.(tf|tofu)(\.json)?$/;

/** Files Terraform/OpenTofu read as configuration. */
export function isConfigFile(path: string): boolean {
  return CONFIG_FILE.test(path);
}

/**
 * A tree over configuration files whose scans run only when detection asks for them: it scans
 * the files that may call a changed module and the configuration of the affected projects.
 */
export function createRepoTree(
  files: readonly string[],
  symlinks: readonly string[],
  config: ReadonlyMap<string, ConfigFile>,
  linkTargets: ReadonlyMap<string, string> = new Map(),
): RepoTree {
  const scans = new Map<string, HclScanResult>();
  let byDir: Map<string, string[]> | null = null;
  return {
    files,
    symlinks,
    linkTarget: (path) => linkTargets.get(path) ?? null,
    configFiles: [...config.keys()],
    configFilesIn(dir) {
      if (byDir === null) {
        byDir = new Map();
        for (const path of config.keys()) {
          const d = dirnameOf(path);
          const list = byDir.get(d);
          if (list) list.push(path);
          else byDir.set(d, [path]);
        }
        for (const list of byDir.values()) list.sort();
      }
      return byDir.get(dir) ?? [];
    },
    scan(path) {
      const known = scans.get(path);
      if (known) return known;
      const file = config.get(path);
      if (!file) return undefined;
      const result = file.scan();
      scans.set(path, result);
      return result;
    },
    sourceHints(path) {
      return config.get(path)?.hints ?? null;
    },
  };
}
