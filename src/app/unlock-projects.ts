import { repoNameOf, updateRow } from "./pr-run.js";
import type { RepoRef } from "./ports/vcs.js";
import type { PullRequestDeps } from "./pull-request-deps.js";
import { releaseLock } from "./release-lock.js";

/** `/unlock [project…]`: releases this pull request's own locks; returns the reply's lines. */
export async function unlockProjects(deps: Pick<PullRequestDeps, "locks" | "store" | "log" | "prStates">, repo: RepoRef, pr: number, projects: readonly string[], actor: string): Promise<string> {
  const name = repoNameOf(repo);
  const held = (await deps.locks.list(name)).filter((l) => l.pr === pr).map((l) => l.project);
  const wanted = projects.length > 0 ? projects : held;
  if (wanted.length === 0) return "This pull request holds no lock.";
  const run = await deps.prStates.get(repo, pr);
  const lines: string[] = [];
  for (const project of wanted) {
    const r = await releaseLock({ locks: deps.locks, audit: deps.store.audit, log: deps.log }, { repo: name, project, pr, actor, via: "comment" });
    if (r.status === "released") {
      lines.push(`- \`${project}\`: released`);
      if (run) updateRow(run, project, { lock: "not-held" });
    } else if (r.status === "held") {
      lines.push(`- \`${project}\`: held by #${r.by}, not by this pull request; comment \`/unlock ${project}\` on #${r.by}`);
    } else lines.push(`- \`${project}\`: was not locked`);
  }
  if (run) await deps.prStates.publish(repo, run);
  return lines.join("\n");
}
