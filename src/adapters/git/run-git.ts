import { spawn } from "node:child_process";
import { TfgateError } from "../../domain/errors.js";

export interface GitResult {
  readonly stdout: string;
}

const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Runs git with a fixed environment: no prompts (CI has no stdin), no user config surprises
 * (pagers, colour), and no credential helpers asking a human.
 *
 * Plain `child_process.spawn`, not execa: a `tfgate plan` starts git four times before tofu,
 * and execa's per-call set-up (streams, signal handlers, generators) cost ~4 ms of the main
 * thread each, on top of the fork itself. git needs none of it: one output, one exit code.
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  options: { input?: string; env?: Record<string, string>; stripFinalNewline?: boolean } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      // The inherited environment (PATH, HOME for git's own config), as any child process gets.
      // eslint-disable-next-line no-restricted-syntax
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let tooBig = false;
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT) {
        tooBig = true;
        child.kill();
      } else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (cause) => reject(new GitError(`git ${args[0] ?? ""} could not start: ${cause.message}`, { cause })));
    child.on("close", (code, signal) => {
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code === 0 && !tooBig) {
        const stdout = Buffer.concat(out).toString("utf8");
        resolve({ stdout: (options.stripFinalNewline ?? true) ? stdout.replace(/\r?\n$/, "") : stdout });
        return;
      }
      const cause = new Error(`git ${args.join(" ")} exited with ${code ?? signal}: ${stderr}`);
      if (/not a git repository/i.test(stderr)) {
        reject(new TfgateError("not-a-git-repo", `${cwd} is not a git repository`, { cause }));
        return;
      }
      const why = tooBig ? `output over ${MAX_OUTPUT} bytes` : stderr || `exit code ${code ?? signal}`;
      reject(new GitError(`git ${args[0] ?? ""} failed: ${why}`, { cause }));
    });
    child.stdin.on("error", () => undefined); // git exiting early is reported through "close"
    child.stdin.end(options.input);
  });
}

export class GitError extends Error {
  readonly code = "git-failed";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GitError";
  }
}
