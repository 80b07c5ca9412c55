import { spawn } from "node:child_process";
import { TfgateError } from "../../domain/errors.js";

export interface GitResult {
  readonly stdout: string;
}

/**
 * The environment git starts from: PATH (for its helpers, ssh), HOME (its own config). The
 * composition roots pass their process environment in; adapters never read it themselves.
 */
export type GitBaseEnv = Readonly<Record<string, string | undefined>>;

export interface GitOptions {
  readonly baseEnv: GitBaseEnv;
  readonly input?: string;
  /** Added to the base environment for this call (e.g. credentials as an HTTP header). */
  readonly env?: Readonly<Record<string, string>>;
  /** Ends git (SIGTERM) when aborted; the call then fails. */
  readonly signal?: AbortSignal;
}

const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Every git process's environment: no prompts (CI has no stdin), no pager, and C-locale messages
 * (errors are matched on, e.g. "not a git repository"), over the base and under the call's own.
 */
export function gitEnvironment(baseEnv: GitBaseEnv, extra?: Readonly<Record<string, string>>): Record<string, string | undefined> {
  return { ...baseEnv, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C", ...extra };
}

/**
 * Runs git with a fixed environment: no prompts (CI has no stdin), no user config surprises
 * (pagers, colour), and no credential helpers asking a human.
 *
 * Plain `child_process.spawn`, not execa: a `tfgate plan` starts git four times before tofu,
 * and execa's per-call set-up (streams, signal handlers, generators) cost ~4 ms of the main
 * thread each, on top of the fork itself. git needs none of it: one output, one exit code.
 */
export async function runGit(cwd: string, args: readonly string[], options: GitOptions & { stripFinalNewline?: boolean }): Promise<GitResult> {
  const out: Buffer[] = [];
  let bytes = 0;
  await streamGit(
    cwd,
    args,
    (chunk, stop) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT) stop(`output over ${MAX_OUTPUT} bytes`);
      else out.push(chunk);
    },
    options,
  );
  const stdout = Buffer.concat(out).toString("utf8");
  return { stdout: (options.stripFinalNewline ?? true) ? stdout.replace(/\r?\n$/, "") : stdout };
}

/** Runs git and hands its output over chunk by chunk, as it comes; `stop` ends git with a reason. */
export function streamGit(
  cwd: string,
  args: readonly string[],
  onStdout: (chunk: Buffer, stop: (why: string) => void) => void,
  options: GitOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: gitEnvironment(options.baseEnv, options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const err: Buffer[] = [];
    let stopped: string | null = null;
    let failed: unknown = null;
    const stop = (why: string) => {
      stopped ??= why;
      child.kill();
    };
    const onAbort = () => stop("aborted");
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      if (stopped !== null) return;
      try {
        onStdout(chunk, stop);
      } catch (e) {
        failed = e;
        stop("the reader of its output failed");
      }
    });
    let errBytes = 0;
    child.stderr.on("data", (chunk: Buffer) => {
      // Only the end is kept (where git says what went wrong): a chatty git cannot fill memory.
      err.push(chunk);
      errBytes += chunk.length;
      while (errBytes > 64 * 1024 && err.length > 1) errBytes -= (err.shift() as Buffer).length;
    });
    child.on("error", (cause) => reject(new GitError(`git ${args[0] ?? ""} could not start: ${cause.message}`, { cause })));
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (failed !== null) {
        reject(failed);
        return;
      }
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code === 0 && stopped === null) {
        resolve();
        return;
      }
      const cause = new Error(`git ${args.join(" ")} exited with ${code ?? signal}: ${stderr}`);
      if (/not a git repository/i.test(stderr)) {
        reject(new TfgateError("not-a-git-repo", `${cwd} is not a git repository`, { cause }));
        return;
      }
      reject(new GitError(`git ${args[0] ?? ""} failed: ${stopped ?? (stderr || `exit code ${code ?? signal}`)}`, { cause }));
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
