import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureToolchain, repoRoot } from "./toolchain.js";

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (`node dist/cli.js`) as a user would. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const tc = ensureToolchain();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "dist", "cli.js"), ...args], {
      env: { ...process.env, ...tc.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
