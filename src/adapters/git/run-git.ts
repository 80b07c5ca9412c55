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

/**
 * Runs `git cat-file --batch` once for many objects (ids or "<commit>:<path>" names); returns
 * contents keyed by the name asked for. Answers come back in request order, one per request.
 */
export async function readBlobs(cwd: string, names: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const unique = [...new Set(names)];
  const { stdout } = await execa("git", ["cat-file", "--batch"], {
    cwd,
    input: `${unique.join("\n")}\n`,
    encoding: "buffer",
    stripFinalNewline: false,
    maxBuffer: 1024 * 1024 * 1024,
    env: { LC_ALL: "C" },
  });
  const buf = Buffer.from(stdout);
  let pos = 0;
  for (const name of unique) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const header = buf.toString("utf8", pos, nl);
    // "<name> missing" may contain spaces (paths); "<oid> <type> <size>" never does.
    const [, type, size] = header.split(" ");
    if (header.endsWith(" missing") || header.endsWith(" ambiguous") || size === undefined) {
      pos = nl + 1;
      continue;
    }
    const len = Number(size);
    if (type === "blob") out.set(name, buf.toString("utf8", nl + 1, nl + 1 + len));
    pos = nl + 1 + len + 1;
  }
  return out;
}
