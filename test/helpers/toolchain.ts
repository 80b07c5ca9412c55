import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot as findRepoRoot } from "./repo-root.js";

const root = findRepoRoot();

export interface Toolchain {
  readonly tofu: string;
  readonly cliConfig: string;
  /** Environment for a tfgate process using this toolchain. */
  readonly env: Record<string, string>;
}

/** The toolchain built by scripts/toolchain.sh (idempotent: builds only when missing). */
export function ensureToolchain(): Toolchain {
  const dir = process.env["TFGATE_TOOLCHAIN_DIR"] ?? join(root, ".toolchain");
  if (!existsSync(join(dir, "stamp"))) execFileSync("bash", [join(root, "scripts", "toolchain.sh")], { stdio: "inherit" });
  const tofu = join(dir, "bin", "tofu");
  const cliConfig = join(dir, "cli.tfrc");
  return { tofu, cliConfig, env: { TF_CLI_CONFIG_FILE: cliConfig, TFGATE_TERRAFORM_BINARY: tofu, CHECKPOINT_DISABLE: "1" } };
}

/** A `terraform` binary on PATH, if there is one (the end-to-end tests then also run against it). */
export function terraformOnPath(): string | null {
  try {
    return execFileSync("bash", ["-c", "command -v terraform"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export const repoRoot = root;
