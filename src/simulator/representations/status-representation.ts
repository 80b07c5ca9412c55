import type { FakeStatus, StatusState } from "../fake-github-model.js";
import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";
import { minimalRepository } from "./repository-representation.js";
import { simpleUser } from "./user-representation.js";

function simpleStatus(ctx: RepresentationContext, s: FakeStatus) {
  const creator = simpleUser(ctx, s.creator);
  return {
    url: `${ctx.apiUrl}/repos/${s.owner}/${s.repo}/statuses/${s.sha}`,
    avatar_url: creator.avatar_url,
    id: s.id,
    node_id: nodeId("StatusContext", s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: iso(s.createdAt),
    updated_at: iso(s.createdAt),
  };
}

/** `status`: the answer to creating one. */
export function status(ctx: RepresentationContext, s: FakeStatus) {
  return { ...simpleStatus(ctx, s), creator: simpleUser(ctx, s.creator) };
}

/** GitHub's rule: any error/failure fails, else any pending (or none at all) is pending. */
export function combinedState(statuses: readonly FakeStatus[]): StatusState {
  if (statuses.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (statuses.length === 0 || statuses.some((s) => s.state === "pending")) return "pending";
  return "success";
}

/** `combined-commit-status`, with one page of the latest status per context. */
export function combinedStatus(ctx: RepresentationContext, owner: string, repo: string, sha: string, all: readonly FakeStatus[], page: readonly FakeStatus[]) {
  const commit = `${ctx.apiUrl}/repos/${owner}/${repo}/commits/${sha}`;
  return {
    state: combinedState(all),
    statuses: page.map((s) => simpleStatus(ctx, s)),
    sha,
    total_count: all.length,
    repository: minimalRepository(ctx, `${owner}/${repo}`),
    commit_url: commit,
    url: `${commit}/status`,
  };
}
