/** The slice of GitHub that tfgate uses, by role (an installation's view of one repository). */

export interface RepoRef {
  readonly owner: string;
  readonly name: string;
  readonly installationId: number;
}

export interface PullRequestInfo {
  readonly number: number;
  readonly state: "open" | "closed";
  readonly merged: boolean;
  readonly draft: boolean;
  readonly author: string;
  readonly headSha: string;
  readonly headRef: string;
  readonly baseRef: string;
  readonly baseSha: string;
  /** The repository's default branch: where configuration comes from unless the base is protected. */
  readonly defaultBranch: string;
  /** The head lives in another repository: its code is not planned automatically. */
  readonly fromFork: boolean;
  /** null while GitHub is still computing it. */
  readonly mergeable: boolean | null;
}

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** Posted by this app (so a marker in it can be trusted). */
  readonly byApp: boolean;
}

export interface CommitStatus {
  readonly context: string;
  readonly state: "pending" | "success" | "failure" | "error";
  readonly description: string;
  readonly targetUrl?: string;
}

export interface GitHub {
  /** The installation of this app on a repository (restart recovery knows only owner/name). */
  installationFor(owner: string, name: string): Promise<RepoRef>;
  pullRequest(repo: RepoRef, number: number): Promise<PullRequestInfo>;
  permission(repo: RepoRef, user: string): Promise<Permission>;
  comments(repo: RepoRef, issue: number): Promise<IssueComment[]>;
  createComment(repo: RepoRef, issue: number, body: string): Promise<number>;
  updateComment(repo: RepoRef, commentId: number, body: string): Promise<void>;
  react(repo: RepoRef, commentId: number, content: "eyes" | "+1" | "-1" | "confused"): Promise<void>;
  setStatus(repo: RepoRef, sha: string, status: CommitStatus): Promise<void>;
  /** A short-lived installation token, for git over HTTPS. */
  gitToken(repo: RepoRef): Promise<string>;
  /** Every review of a pull request, oldest first (the apply gate reads the standing ones). */
  reviews(repo: RepoRef, pr: number): Promise<PullRequestReview[]>;
  /** Whether `user` is an active member of `org/team` now (needs the App's `members: read`). */
  teamMember(repo: RepoRef, team: string, user: string): Promise<boolean>;
  /** Merges the PR if its head is still `sha` (automerge after apply; needs `contents: write`). */
  merge(repo: RepoRef, pr: number, sha: string): Promise<MergeResult>;
}

/** GitHub's refusals (conflict, draft, head moved, branch protection) are answers, not failures. */
export type MergeResult = { readonly merged: true; readonly sha: string } | { readonly merged: false; readonly reason: string };

export interface PullRequestReview {
  readonly reviewer: string;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  readonly commitId: string;
  readonly submittedAt: string;
}

/** Permissions that may run commands that execute PR code or change state. */
export function canWrite(p: Permission): boolean {
  return p === "admin" || p === "maintain" || p === "write";
}
