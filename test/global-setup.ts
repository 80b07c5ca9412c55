import { execFileSync } from "node:child_process";
import { ensureToolchain, repoRoot } from "./helpers/toolchain.js";

/** Once per test run: the real toolchain, and dist/ built so end-to-end tests run the real CLI. */
export default function setup(): void {
  ensureToolchain();
  execFileSync("npm", ["run", "--silent", "build"], { cwd: repoRoot, stdio: "inherit" });
}
