import { execa, ExecaError } from "execa";
import { TfgateError } from "../../domain/errors.js";

export interface GitResult {
  readonly stdout: string;
}

/**
 * Runs git with a fixed environment: no prompts (CI has no stdin), no user config surprises
 * (pagers, colour), and no credential helpers asking a human.
 */
export async function runGit(
  cwd: string,
  args: readonly string[],
  options: { input?: string; env?: Record<string, string>; stripFinalNewline?: boolean } = {},
): Promise<GitResult> {
  try {
    const { stdout } = await execa("git", args, {
      cwd,
      input: options.input,
      env: { GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C", ...options.env },
      stripFinalNewline: options.stripFinalNewline ?? true,
      maxBuffer: 512 * 1024 * 1024,
    });
    return { stdout };
  } catch (err) {
    if (err instanceof ExecaError) {
      const stderr = String(err.stderr ?? "").trim();
      if (/not a git repository/i.test(stderr)) {
        throw new TfgateError("not-a-git-repo", `${cwd} is not a git repository`, { cause: err });
      }
      throw new GitError(`git ${args[0] ?? ""} failed: ${stderr || err.shortMessage}`, { cause: err });
    }
    throw err;
  }
}

export class GitError extends Error {
  readonly code = "git-failed";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GitError";
  }
}
