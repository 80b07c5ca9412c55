import type { FakeComment, FakeReaction, ReactionContent } from "../fake-github-model.js";
import { app } from "./app-representation.js";
import { authorAssociation } from "./pull-request-representation.js";
import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";
import { simpleUser } from "./user-representation.js";

const CONTENTS: readonly ReactionContent[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"];

/** `issue-comment`. */
export function issueComment(ctx: RepresentationContext, c: FakeComment) {
  const full = `${c.owner}/${c.repo}`;
  const url = `${ctx.apiUrl}/repos/${full}/issues/comments/${c.id}`;
  const reactions = ctx.state.reactions(c.id);
  return {
    id: c.id,
    node_id: nodeId("IssueComment", c.id),
    url,
    html_url: `${ctx.htmlUrl}/${full}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(ctx, c.user),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    issue_url: `${ctx.apiUrl}/repos/${full}/issues/${c.issueNumber}`,
    author_association: c.viaApp ? "NONE" : authorAssociation(ctx, c.owner, c.repo, c.user),
    performed_via_github_app: c.viaApp ? app(ctx) : null,
    reactions: {
      url: `${url}/reactions`,
      total_count: reactions.length,
      ...Object.fromEntries(CONTENTS.map((content) => [content, reactions.filter((r) => r.content === content).length])),
    },
  };
}

/** `reaction`. */
export function reaction(ctx: RepresentationContext, r: FakeReaction) {
  return { id: r.id, node_id: nodeId("Reaction", r.id), user: simpleUser(ctx, r.user), content: r.content, created_at: iso(r.createdAt) };
}
