/** The simulated GitHub's records: only what tfgate reads or writes, keyed the way GitHub keys it. */

export type AccountType = "User" | "Organization" | "Bot";

export interface FakeAccount {
  readonly login: string;
  readonly id: number;
  readonly type: AccountType;
}

/** GitHub's role names; the REST `permission` field folds maintain→write and triage→read. */
export type RepoRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface FakeRepo {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  /** Where tfgate clones from; tests give `file:///…`. */
  readonly cloneUrl: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly installationId: number;
  readonly createdAt: Date;
}

export interface FakeInstallation {
  readonly id: number;
  readonly account: string;
  readonly createdAt: Date;
}

export interface FakeToken {
  readonly token: string;
  readonly installationId: number;
  expiresAt: Date;
}

export type PullRequestState = "open" | "closed";

/** What pull requests and plain issues share: GitHub's issue fields. */
interface FakeConversation {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  title: string;
  body: string | null;
  readonly user: string;
  state: PullRequestState;
  readonly createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface FakePullRequest extends FakeConversation {
  headSha: string;
  readonly headRef: string;
  /** `owner/name` of the head repository: differs from the base for a fork. */
  readonly headRepoFullName: string;
  readonly baseRef: string;
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** null while GitHub is still computing it; false means a conflict. */
  mergeable: boolean | null;
  mergedAt: Date | null;
}

/** A plain issue: it shares the repository's numbers with pull requests but is none of them. */
export interface FakeIssue extends FakeConversation {
  labels: string[];
  stateReason: "completed" | "reopened" | null;
  /** Opened with an installation token (GitHub fills `performed_via_github_app`). */
  readonly viaApp: boolean;
}

export interface FakeComment {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly user: string;
  body: string;
  /** Posted with an installation token (GitHub fills `performed_via_github_app`). */
  readonly viaApp: boolean;
  readonly createdAt: Date;
  updatedAt: Date;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface FakeReaction {
  readonly id: number;
  readonly commentId: number;
  readonly user: string;
  readonly content: ReactionContent;
  readonly createdAt: Date;
}

export type StatusState = "error" | "failure" | "pending" | "success";

export interface FakeStatus {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly sha: string;
  readonly context: string;
  readonly state: StatusState;
  readonly description: string | null;
  readonly targetUrl: string | null;
  readonly creator: string;
  readonly createdAt: Date;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface FakeReview {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  readonly user: string;
  state: ReviewState;
  readonly commitId: string;
  readonly body: string;
  readonly submittedAt: Date;
}

export type TeamRole = "member" | "maintainer";
export type MembershipState = "active" | "pending";

export interface FakeMembership {
  readonly role: TeamRole;
  readonly state: MembershipState;
}

/**
 * What someone submitted on GitHub's "new app from manifest" page, as the fake checks it: the
 * fields GitHub documents for a manifest.
 */
export interface FakeAppManifest {
  readonly name: string;
  readonly url: string;
  readonly description: string | null;
  readonly hookUrl: string | null;
  readonly redirectUrl: string | null;
  readonly public: boolean;
  readonly permissions: Readonly<Record<string, string>>;
  readonly events: readonly string[];
}

/** An app created through the manifest flow, with the credentials GitHub hands out once. */
export interface FakeManifestApp {
  readonly id: number;
  readonly slug: string;
  readonly owner: string;
  readonly manifest: FakeAppManifest;
  readonly clientId: string;
  readonly clientSecret: string;
  /** null when the manifest has no webhook. */
  readonly webhookSecret: string | null;
  /** PKCS#1 PEM, as GitHub hands it out. */
  readonly pem: string;
  readonly createdAt: Date;
}

export type CheckRunStatus = "queued" | "in_progress" | "completed";
export type CheckRunConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface FakeAnnotation {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly level: "notice" | "warning" | "failure";
  readonly title: string | null;
  readonly message: string;
}

/** A check run; GitHub keeps every annotation ever sent to it (updates add, never replace). */
export interface FakeCheckRun {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly headSha: string;
  /** The app that created it: only that app may update it. */
  readonly appId: number;
  readonly checkSuiteId: number;
  name: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  readonly annotations: FakeAnnotation[];
  startedAt: Date;
  completedAt: Date | null;
  /** Requests that changed it (creation included): what batching of annotations costs. */
  writes: number;
}
