/** Real plans for the policy tests: `tofu init/plan/show -json` on a copy, with the offline toolchain. */
import { execa } from "execa";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Toolchain } from "../helpers/toolchain.js";

export interface RealPlan {
  readonly workdir: string;
  readonly dataDir: string;
  /** The repository copy (the checkout) and a private TMPDIR, for sandboxed steps. */
  readonly checkoutDir: string;
  readonly tmpDir: string;
  readonly planJson: unknown;
}

/** Plans `projectDir` of the repository copy at `repoDir`; state and TF_DATA_DIR stay in `scratch`. */
export async function realPlan(toolchain: Toolchain, repoDir: string, projectDir: string, scratch: string): Promise<RealPlan> {
  const workdir = join(repoDir, projectDir);
  const dataDir = join(scratch, "data");
  mkdirSync(dataDir, { recursive: true });
  const tmpDir = join(scratch, "tmp");
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const env = { TF_CLI_CONFIG_FILE: toolchain.cliConfig, TF_DATA_DIR: dataDir, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  const tofu = (...args: string[]) => execa(toolchain.tofu, args, { cwd: workdir, env, stdin: "ignore", maxBuffer: 256 * 1024 * 1024 });
  await tofu("init", "-input=false", "-no-color");
  const planFile = join(scratch, "plan.tfplan");
  await tofu("plan", "-input=false", "-no-color", `-state=${join(scratch, "terraform.tfstate")}`, `-out=${planFile}`);
  const shown = await tofu("show", "-json", planFile);
  return { workdir, dataDir, checkoutDir: repoDir, tmpDir, planJson: JSON.parse(shown.stdout) as unknown };
}
