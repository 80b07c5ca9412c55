import { readFileSync } from "node:fs";
import { NO_CREDENTIALS, parseCredentialsFile } from "../config/credentials-file.js";
import { resolveCredentials, type ResolvedCredentials } from "../config/project-credentials.js";
import { formatConfigProblem } from "../config/repo-config.js";

export type LoadedCredentials = { readonly ok: true; readonly credentials: ResolvedCredentials } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads and resolves the credentials file (none: no project gets variables of its own). A file
 * that cannot be read or parsed stops the server / the CLI; a variable or file a value comes from
 * that is missing only fails the projects using it, on their pull requests.
 */
export function loadCredentials(path: string | null, env: Readonly<Record<string, string | undefined>>): LoadedCredentials {
  const read = (p: string) => readFileSync(p, "utf8");
  if (path === null) return { ok: true, credentials: resolveCredentials(NO_CREDENTIALS, env, read) };
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    return { ok: false, problems: [`${path}: the credentials file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`] };
  }
  const parsed = parseCredentialsFile(text, path);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(formatConfigProblem) };
  return { ok: true, credentials: resolveCredentials(parsed.file, env, read, path) };
}
