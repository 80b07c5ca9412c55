import type { HclScanResult } from "./hcl-scan.js";

/** What detection knows of the repository at one ref. */
export interface RepoTree {
  /** Every regular file, repository-relative with `/` separators. */
  readonly files: readonly string[];
  /** Paths that are symbolic links (git mode 120000). */
  readonly symlinks: readonly string[];
  /** Scan results of every Terraform configuration file (`*.tf`, `*.tofu`, `*.tf.json`, `*.tofu.json`). */
  readonly hcl: ReadonlyMap<string, HclScanResult>;
}

const CONFIG_FILE = /\.(tf|tofu)(\.json)?$/;

/** Files Terraform/OpenTofu read as configuration. */
export function isConfigFile(path: string): boolean {
  return CONFIG_FILE.test(path);
}
