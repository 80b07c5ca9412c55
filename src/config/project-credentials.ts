/**
 * Resolves the credentials file into what each project's sandbox gets. Values are read once, at
 * start (a changed file or variable needs a restart), so every value tfgate may inject is known
 * up front and goes into the secret scrubber before anything is posted or logged.
 */
import picomatch from "picomatch";
import type { CredentialStage, ProjectCredentials } from "../domain/project-credentials.js";
import type { CredentialSource, CredentialsFile } from "./credentials-file.js";

export interface ResolvedCredentials {
  readonly forProject: ProjectCredentials;
  /** pass_env's variables, with their values from tfgate's environment (unset ones left out). */
  readonly passEnv: Readonly<Record<string, string>>;
  /** Every value that may be injected: to be scrubbed from everything posted or logged. */
  readonly secrets: readonly string[];
}

type Resolved = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

export function resolveCredentials(
  file: CredentialsFile,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string,
  fileName = "the credentials file",
): ResolvedCredentials {
  const read = (s: CredentialSource, variable: string): Resolved => {
    if ("value" in s) return { ok: true, value: s.value };
    if ("from_env" in s) {
      const v = env[s.from_env];
      return v === undefined || v === "" ? { ok: false, message: `${variable} comes from tfgate's environment variable ${s.from_env}, which is not set (${fileName})` } : { ok: true, value: v };
    }
    try {
      return { ok: true, value: readFile(s.from_file) };
    } catch (err) {
      return { ok: false, message: `${variable} comes from the file ${s.from_file}, which cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)} (${fileName})` };
    }
  };
  const entries = file.credentials.map((entry) => {
    const matchers = entry.projects.map((glob) => picomatch(glob, { dot: true }));
    const repos = entry.repos?.map((glob) => picomatch(glob, { dot: true, nocase: true }));
    const stages = { plan: entry.plan?.env ?? {}, apply: entry.apply?.env ?? {} };
    const values = {
      plan: new Map(Object.entries(stages.plan).map(([name, s]) => [name, read(s, name)])),
      apply: new Map(Object.entries(stages.apply).map(([name, s]) => [name, read(s, name)])),
    };
    // An entry naming repositories never applies where the repository is unknown (the CLI).
    const inRepo = (repo: string | undefined) => repos === undefined || (repo !== undefined && repos.some((m) => m(repo)));
    return { matches: (project: string, repo: string | undefined) => inRepo(repo) && matchers.some((m) => m(project)), values };
  });
  const secrets = entries.flatMap((e) => [...e.values.plan.values(), ...e.values.apply.values()].flatMap((r) => (r.ok ? [r.value] : [])));
  const passEnv = Object.fromEntries(file.pass_env.flatMap((name) => (env[name] !== undefined ? [[name, env[name] as string]] : [])));
  return {
    passEnv,
    secrets: [...secrets, ...Object.values(passEnv)],
    forProject(project: string, stage: CredentialStage, repo?: string) {
      // Every matching entry applies, in file order: a later one wins per variable.
      const out: Record<string, string> = {};
      const problems = new Map<string, string>();
      for (const entry of entries) {
        if (!entry.matches(project, repo)) continue;
        for (const [name, r] of entry.values[stage]) {
          if (r.ok) {
            out[name] = r.value;
            problems.delete(name);
          } else problems.set(name, r.message);
        }
      }
      if (problems.size > 0) return { ok: false, message: [...problems.values()].join("; ") };
      return { ok: true, env: out };
    },
  };
}
