import type { Vcs, RepoRef } from "./ports/vcs.js";

/**
 * Environment for git fetches of a repository over HTTPS: the installation token as an HTTP
 * header through git's environment configuration, never in the URL, a file or the logs.
 * Local sources (file://, tests) need nothing.
 */
export async function gitFetchEnv(vcs: Pick<Vcs, "cloneToken">, repo: RepoRef, source: string): Promise<Record<string, string>> {
  if (!/^https?:/.test(source)) return {};
  const token = await vcs.cloneToken(repo);
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.extraHeader", GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}
