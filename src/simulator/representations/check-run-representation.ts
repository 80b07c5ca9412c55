import type { FakeCheckRun } from "../fake-github-model.js";
import { app } from "./app-representation.js";
import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";

/** `check-run`: with the app that created it and the open pull requests whose head it is. */
export function checkRun(ctx: RepresentationContext, r: FakeCheckRun) {
  const api = `${ctx.apiUrl}/repos/${r.owner}/${r.repo}`;
  const repo = ctx.state.repo(r.owner, r.repo);
  const repoRef = { id: repo?.id ?? 0, url: api, name: r.repo };
  const pulls = ctx.state.pullRequests(r.owner, r.repo).filter((p) => p.state === "open" && p.headSha === r.headSha);
  const creator = app(ctx);
  return {
    id: r.id,
    head_sha: r.headSha,
    node_id: nodeId("CheckRun", r.id),
    external_id: r.externalId ?? "",
    url: `${api}/check-runs/${r.id}`,
    html_url: `${ctx.htmlUrl}/${r.owner}/${r.repo}/runs/${r.id}`,
    details_url: r.detailsUrl ?? creator.html_url,
    status: r.status,
    conclusion: r.conclusion,
    started_at: iso(r.startedAt),
    completed_at: r.completedAt === null ? null : iso(r.completedAt),
    output: {
      title: r.title,
      summary: r.summary,
      text: r.text,
      annotations_count: r.annotations.length,
      annotations_url: `${api}/check-runs/${r.id}/annotations`,
    },
    name: r.name,
    check_suite: { id: r.checkSuiteId },
    // Another app's check run shows that app; the fake knows only its own app's details.
    app: r.appId === ctx.appId ? creator : { ...creator, id: r.appId, slug: `app-${r.appId}`, name: `app-${r.appId}`, node_id: nodeId("Integration", r.appId) },
    pull_requests: pulls.map((p) => ({
      id: p.id,
      number: p.number,
      url: `${api}/pulls/${p.number}`,
      head: { ref: p.headRef, sha: p.headSha, repo: repoRef },
      base: { ref: p.baseRef, sha: p.baseSha, repo: repoRef },
    })),
  };
}
