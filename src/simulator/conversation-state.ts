import { FakeGitHubError } from "./fake-github-error.js";
import type { AccountType, FakeAccount, FakeComment, FakePullRequest, FakeReaction, FakeStatus, ReactionContent, StatusState } from "./fake-github-model.js";

export interface AddCommentOptions {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly user: string;
  readonly body: string;
  readonly viaApp?: boolean;
}

export interface AddStatusOptions {
  readonly owner: string;
  readonly repo: string;
  readonly sha: string;
  readonly state: StatusState;
  readonly context?: string;
  readonly description?: string | null;
  readonly targetUrl?: string | null;
  readonly creator: string;
}

/** What the conversation records need from the core state. */
export interface ConversationDeps {
  readonly nextId: () => number;
  readonly now: () => Date;
  readonly addUser: (login: string, type?: AccountType) => FakeAccount;
  /** Throws unless the number is a pull request or an issue of the repository. */
  readonly requireThread: (owner: string, repo: string, number: number) => void;
  readonly requireRepo: (owner: string, repo: string) => unknown;
  readonly pullRequests: (owner: string, repo: string) => FakePullRequest[];
}

const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

/** Comments, reactions and commit statuses: what tfgate writes on a pull request or an issue. */
export function createConversationState(deps: ConversationDeps) {
  const comments = new Map<number, FakeComment>();
  const reactions: FakeReaction[] = [];
  const statuses: FakeStatus[] = [];
  const requireComment = (id: number): FakeComment => {
    const comment = comments.get(id);
    if (!comment) throw new FakeGitHubError("not-found", `no comment ${id}`);
    return comment;
  };

  return {
    /** A comment by anyone; `viaApp` marks one posted through an installation token. */
    addComment(o: AddCommentOptions): FakeComment {
      deps.requireThread(o.owner, o.repo, o.issueNumber);
      deps.addUser(o.user);
      const now = deps.now();
      const comment: FakeComment = { id: deps.nextId(), owner: o.owner, repo: o.repo, issueNumber: o.issueNumber, user: o.user, body: o.body, viaApp: o.viaApp ?? false, createdAt: now, updatedAt: now };
      comments.set(comment.id, comment);
      return comment;
    },
    comment: (id: number): FakeComment | undefined => comments.get(id),
    /** The comments on an issue or pull request, oldest first. */
    comments: (owner: string, repo: string, issueNumber: number): FakeComment[] =>
      [...comments.values()].filter((c) => c.issueNumber === issueNumber && repoKey(c.owner, c.repo) === repoKey(owner, repo)),
    updateComment(id: number, body: string): FakeComment {
      const comment = requireComment(id);
      comment.body = body;
      comment.updatedAt = deps.now();
      return comment;
    },
    deleteComment(id: number): void {
      requireComment(id);
      comments.delete(id);
    },
    /** GitHub keeps one reaction per user and content: a repeat returns the first one. */
    addReaction(commentId: number, user: string, content: ReactionContent): { reaction: FakeReaction; created: boolean } {
      requireComment(commentId);
      const known = reactions.find((r) => r.commentId === commentId && r.user === user && r.content === content);
      if (known) return { reaction: known, created: false };
      const reaction = { id: deps.nextId(), commentId, user, content, createdAt: deps.now() };
      reactions.push(reaction);
      return { reaction, created: true };
    },
    reactions: (commentId: number): FakeReaction[] => reactions.filter((r) => r.commentId === commentId),

    addStatus(o: AddStatusOptions): FakeStatus {
      deps.requireRepo(o.owner, o.repo);
      const status: FakeStatus = {
        id: deps.nextId(),
        owner: o.owner,
        repo: o.repo,
        sha: o.sha,
        context: o.context ?? "default",
        state: o.state,
        description: o.description ?? null,
        targetUrl: o.targetUrl ?? null,
        creator: o.creator,
        createdAt: deps.now(),
      };
      statuses.push(status);
      return status;
    },
    /** Every status posted for a commit, oldest first (GitHub keeps the history). */
    statuses: (sha: string): FakeStatus[] => statuses.filter((s) => s.sha === sha),
    /** The newest status per context, newest first: what the combined status shows. */
    latestStatuses(owner: string, repo: string, sha: string): FakeStatus[] {
      const latest = new Map<string, FakeStatus>();
      for (const s of statuses) if (s.sha === sha && repoKey(s.owner, s.repo) === repoKey(owner, repo)) latest.set(s.context, s);
      return [...latest.values()].sort((a, b) => b.id - a.id);
    },
    /** A full SHA, or the head of a pull request's branch (`name` or `heads/name`). */
    resolveRef(owner: string, repo: string, ref: string): string | undefined {
      if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
      const branch = ref.replace(/^(refs\/)?heads\//, "");
      const sameRepo = deps.pullRequests(owner, repo).filter((p) => p.headRef === branch && p.headRepoFullName.toLowerCase() === repoKey(owner, repo));
      return sameRepo.at(-1)?.headSha;
    },
  };
}
