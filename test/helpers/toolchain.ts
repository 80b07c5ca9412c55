import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { repoRoot as findRepoRoot } from "./repo-root.js";

const root = findRepoRoot();

/** The two binaries tfgate runs; the scenario tests run against each. */
export const BINARIES = ["tofu", "terraform"] as const;
export type BinaryName = (typeof BINARIES)[number];

export interface Toolchain {
  readonly tofu: string;
  readonly terraform: string;
  readonly cliConfig: string;
  /** Environment for a tfgate process using this toolchain (and its tofu). */
  readonly env: Record<string, string>;
}

/** runCli asks before every command: one answer per test worker is enough. */
let ensured: Toolchain | undefined;

/**
 * The toolchain built by scripts/toolchain.sh. The script always runs (once per worker): it returns
 * at once when its stamp matches, and rebuilds what a changed stamp (a new Terraform) asks for.
 * A binary that is not there fails the caller: no test skips for want of tofu or terraform.
 */
export function ensureToolchain(): Toolchain {
  ensured ??= buildToolchain();
  return ensured;
}

function buildToolchain(): Toolchain {
  const dir = process.env["TFGATE_TOOLCHAIN_DIR"] ?? join(root, ".toolchain");
  execFileSync("bash", [join(root, "scripts", "toolchain.sh")], { stdio: "inherit" });
  const tofu = join(dir, "bin", "tofu");
  const terraform = join(dir, "bin", "terraform");
  // conftest (Rego policies) is found beside tofu by the engine, as on a server.
  for (const binary of [tofu, terraform, join(dir, "bin", "conftest")]) accessSync(binary, constants.X_OK);
  const cliConfig = join(dir, "cli.tfrc");
  return { tofu, terraform, cliConfig, env: { TF_CLI_CONFIG_FILE: cliConfig, TFGATE_TERRAFORM_BINARY: tofu, CHECKPOINT_DISABLE: "1" } };
}

export const repoRoot = root;
