/**
 * The code host, by role: repositories, change requests (GitHub's pull requests, GitLab's merge
 * requests), their reviews, comments, commit statuses and checks, and plain issues (drift reports). Neutral on purpose: GitHub is its one
 * adapter today (adapters/github); another host implements this file and nothing in app/ changes.
 */

import type { OtherCheckState } from "../../domain/apply/other-requirements.js";

export interface RepoRef {
  readonly owner: string;
  readonly name: string;
  /** The host's handle for acting on this repository (GitHub: the App installation id). */
  readonly hostId: number;
}

export interface ChangeRequest {
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
  /** null while the host is still computing it. */
  readonly mergeable: boolean | null;
}

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface ChangeComment {
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

/** Where a check stands; `completed` ones carry a conclusion. */
export type CheckState =
  | { readonly status: "queued" | "in_progress" }
  | { readonly status: "completed"; readonly conclusion: "success" | "failure" | "neutral" | "cancelled" | "timed_out" };

/** A finding pinned to a line of a file in the commit (GitHub: a check run annotation). */
export interface CheckAnnotation {
  readonly path: string;
  readonly line: number;
  readonly level: "failure" | "warning" | "notice";
  readonly title: string;
  readonly message: string;
}

/** One named check on a commit (GitHub: a check run), richer than a status: a Markdown summary and annotations. */
export interface CheckReport {
  readonly name: string;
  readonly state: CheckState;
  /** One line: the counts, or what failed. */
  readonly title: string;
  /** Markdown, at most CHECK_SUMMARY_LIMIT characters. */
  readonly summary: string;
  /** Any number: the adapter sends them in the batches its host accepts. */
  readonly annotations: readonly CheckAnnotation[];
  readonly detailsUrl?: string;
}

/** GitHub's limit for a check run's summary. */
export const CHECK_SUMMARY_LIMIT = 65_535;

export interface Vcs {
  /** The repository with its host handle (restart recovery knows only owner/name). */
  resolveRepo(owner: string, name: string): Promise<RepoRef>;
  changeRequest(repo: RepoRef, number: number): Promise<ChangeRequest>;
  permission(repo: RepoRef, user: string): Promise<Permission>;
  comments(repo: RepoRef, issue: number): Promise<ChangeComment[]>;
  createComment(repo: RepoRef, issue: number, body: string): Promise<number>;
  updateComment(repo: RepoRef, commentId: number, body: string): Promise<void>;
  react(repo: RepoRef, commentId: number, content: "eyes" | "+1" | "-1" | "confused"): Promise<void>;
  setStatus(repo: RepoRef, sha: string, status: CommitStatus): Promise<void>;
  /** Creates a check on `sha` and returns the host's id for it. */
  createCheck(repo: RepoRef, sha: string, report: CheckReport): Promise<number>;
  /** Replaces a check's state and output; `annotations` are added to those it already shows (hosts keep them). */
  updateCheck(repo: RepoRef, checkId: number, report: CheckReport): Promise<void>;
  /** A short-lived token for git over HTTPS (GitHub: an installation token). */
  cloneToken(repo: RepoRef): Promise<string>;
  /** Every review of a pull request, oldest first (the apply gate reads the standing ones). */
  reviews(repo: RepoRef, pr: number): Promise<Review[]>;
  /** Whether `user` is an active member of `org/team` now (needs the App's `members: read`). */
  teamMember(repo: RepoRef, team: string, user: string): Promise<boolean>;
  /**
   * Every commit status (each context's latest) and every other app's check run (each name's
   * latest) on `sha`, for `checks_passing`. tfgate's own check runs are left out; its status
   * contexts are not (the caller leaves them out).
   */
  commitChecks(repo: RepoRef, sha: string): Promise<OtherCheckState[]>;
  /** Merges the PR if its head is still `sha` (automerge after apply; needs `contents: write`). */
  merge(repo: RepoRef, pr: number, sha: string): Promise<MergeResult>;
  /** Opens an issue (not a change request) and returns its number; comments on it use createComment. */
  createIssue(repo: RepoRef, issue: NewIssue): Promise<number>;
  /**
   * Changes an issue's title, body or state; what is left out stays as it is. An issue deleted
   * (or transferred away) on the host is an answer, `gone`, not a failure: the caller opens anew.
   */
  updateIssue(repo: RepoRef, number: number, patch: IssuePatch): Promise<IssueUpdate>;
  /** The open issues (change requests left out) carrying `label`, oldest first. */
  findIssues(repo: RepoRef, label: string): Promise<Issue[]>;
}

export type IssueUpdate = { readonly status: "updated" } | { readonly status: "gone" };

/** GitHub's limit on an issue's (and a comment's) body, in characters. */
export const ISSUE_BODY_LIMIT = 65_536;

export interface NewIssue {
  readonly title: string;
  /** Markdown, at most ISSUE_BODY_LIMIT characters. */
  readonly body: string;
  readonly labels: readonly string[];
}

export interface IssuePatch {
  readonly title?: string;
  readonly body?: string;
  readonly state?: "open" | "closed";
}

export interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly state: "open" | "closed";
  /** Opened by this app (so a marker in its body can be trusted). */
  readonly byApp: boolean;
}

/** The host's refusals (conflict, draft, head moved, branch protection) are answers, not failures. */
export type MergeResult = { readonly merged: true; readonly sha: string } | { readonly merged: false; readonly reason: string };

export interface Review {
  readonly reviewer: string;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  readonly commitId: string;
  readonly submittedAt: string;
}

/** Permissions that may run commands that execute PR code or change state. */
export function canWrite(p: Permission): boolean {
  return p === "admin" || p === "maintain" || p === "write";
}
