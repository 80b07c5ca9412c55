import type { DriftRepo } from "./drift-targets.js";
import { gitFetchEnv } from "./git-fetch-env.js";
import type { Vcs } from "./ports/vcs.js";

export interface DriftRepoDeps {
  readonly vcs: Pick<Vcs, "resolveRepo" | "cloneToken">;
  readonly repoKeyFor: (source: string) => string;
}

/** `owner/name` as drift checks address it: where git fetches it from, with the installation's token. */
export async function resolveDriftRepo(deps: DriftRepoDeps, gitBaseUrl: string, name: string): Promise<DriftRepo> {
  const [owner = "", repo = ""] = name.split("/");
  const ref = await deps.vcs.resolveRepo(owner, repo);
  const source = `${gitBaseUrl}/${owner}/${repo}.git`;
  return { name, source, key: deps.repoKeyFor(source), fetchEnv: await gitFetchEnv(deps.vcs, ref, source) };
}
