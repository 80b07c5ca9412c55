import { createHash } from "node:crypto";
import { createAccessState } from "./access-state.js";
import { createCheckRunState } from "./check-run-state.js";
import { createConversationState } from "./conversation-state.js";
import { createIssueState } from "./issue-state.js";
import { FakeGitHubError } from "./fake-github-error.js";
import { createManifestState } from "./manifest-state.js";
import type { AccountType, FakeAccount, FakeInstallation, FakePullRequest, FakeRepo, FakeReview, RepoRole, ReviewState } from "./fake-github-model.js";

export type { AddCommentOptions, AddStatusOptions } from "./conversation-state.js";
export type { AddManifestCodeOptions } from "./manifest-state.js";
export type { AddCheckRunOptions, CheckRunPatch } from "./check-run-state.js";
export type { AddIssueOptions, IssuePatch } from "./issue-state.js";

export interface FakeGitHubStateOptions {
  /** The app's slug: its comments are posted as `<slug>[bot]`. */
  readonly appSlug: string;
  readonly now: () => Date;
  readonly tokenTtlMs: number;
}

export interface AddRepoOptions {
  readonly owner: string;
  readonly name: string;
  readonly cloneUrl: string;
  readonly defaultBranch?: string;
  readonly private?: boolean;
  readonly ownerType?: Exclude<AccountType, "Bot">;
}

export interface AddPullRequestOptions {
  readonly owner: string;
  readonly repo: string;
  /** Defaults to the repository's next issue number. */
  readonly number?: number;
  readonly title?: string;
  readonly body?: string | null;
  readonly user: string;
  readonly headSha: string;
  readonly headRef: string;
  /** Defaults to the repository's default branch. */
  readonly baseRef?: string;
  readonly baseSha?: string;
  readonly draft?: boolean;
  /** `owner/name` of a fork the head lives in; defaults to the base repository. */
  readonly headRepoFullName?: string;
  readonly mergeable?: boolean | null;
}

export interface AddReviewOptions {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  readonly user: string;
  readonly state: Exclude<ReviewState, "DISMISSED">;
  /** Defaults to the pull request's current head. */
  readonly commitId?: string;
  readonly body?: string;
}

export type FakeGitHubState = ReturnType<typeof createFakeGitHubState>;

/** In-memory GitHub: the server's handlers and the tests read and change the same records. */
export function createFakeGitHubState(options: FakeGitHubStateOptions) {
  let lastId = 1000;
  const nextId = () => ++lastId;
  const accounts = new Map<string, FakeAccount>();
  const repos = new Map<string, FakeRepo>();
  const installations = new Map<number, FakeInstallation>();
  const lastIssueNumber = new Map<string, number>();
  const roles = new Map<string, RepoRole>();
  const pulls = new Map<string, FakePullRequest>();
  const reviews: FakeReview[] = [];
  const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
  const botLogin = `${options.appSlug}[bot]`;

  const addUser = (login: string, type: AccountType = "User"): FakeAccount => {
    const known = accounts.get(login.toLowerCase());
    if (known) return known;
    const account = { login, id: nextId(), type };
    accounts.set(login.toLowerCase(), account);
    return account;
  };
  addUser(botLogin, "Bot");

  const requireRepo = (owner: string, name: string): FakeRepo => {
    const repo = repos.get(repoKey(owner, name));
    if (!repo) throw new FakeGitHubError("not-found", `no repository ${owner}/${name}`);
    return repo;
  };
  const requirePull = (owner: string, repo: string, number: number): FakePullRequest => {
    const pr = pulls.get(`${repoKey(owner, repo)}#${number}`);
    if (!pr) throw new FakeGitHubError("not-found", `no pull request ${owner}/${repo}#${number}`);
    return pr;
  };

  const pullRequests = (owner: string, repo: string): FakePullRequest[] => [...pulls.values()].filter((p) => repoKey(p.owner, p.repo) === repoKey(owner, repo));
  const nextNumber = (owner: string, repo: string): number => {
    const key = repoKey(owner, repo);
    const number = (lastIssueNumber.get(key) ?? 0) + 1;
    lastIssueNumber.set(key, number);
    return number;
  };
  const issueState = createIssueState({ nextId, now: options.now, addUser, requireRepo, nextNumber });
  // Comments go on pull requests and plain issues alike (GitHub's issue comments).
  const requireThread = (owner: string, repo: string, number: number): void => {
    if (!issueState.issue(owner, repo, number)) requirePull(owner, repo, number);
  };
  const conversation = createConversationState({ nextId, now: options.now, addUser, requireThread, requireRepo, pullRequests });
  const access = createAccessState({ now: options.now, tokenTtlMs: options.tokenTtlMs, addUser });
  const manifests = createManifestState({ nextId, now: options.now, addUser });
  const checkRuns = createCheckRunState({ nextId, now: options.now, requireRepo });

  return {
    ...conversation,
    ...access,
    ...manifests,
    ...checkRuns,
    ...issueState,
    appSlug: options.appSlug,
    botLogin,
    now: options.now,
    addUser,
    account: (login: string): FakeAccount | undefined => accounts.get(login.toLowerCase()),

    addRepo(o: AddRepoOptions): FakeRepo {
      if (repos.has(repoKey(o.owner, o.name))) throw new FakeGitHubError("conflict", `repository ${o.owner}/${o.name} exists`);
      addUser(o.owner, o.ownerType ?? "Organization");
      let installation = [...installations.values()].find((i) => i.account.toLowerCase() === o.owner.toLowerCase());
      if (!installation) {
        installation = { id: nextId(), account: o.owner, createdAt: options.now() };
        installations.set(installation.id, installation);
      }
      const repo: FakeRepo = {
        id: nextId(),
        owner: o.owner,
        name: o.name,
        cloneUrl: o.cloneUrl,
        defaultBranch: o.defaultBranch ?? "main",
        private: o.private ?? true,
        installationId: installation.id,
        createdAt: options.now(),
      };
      repos.set(repoKey(o.owner, o.name), repo);
      return repo;
    },
    repo: (owner: string, name: string): FakeRepo | undefined => repos.get(repoKey(owner, name)),
    installation: (id: number): FakeInstallation | undefined => installations.get(id),
    installations: (): readonly FakeInstallation[] => [...installations.values()],

    /** Sets the user's role on the repository (GitHub's collaborator permission). */
    setPermission(owner: string, repo: string, login: string, role: RepoRole): void {
      requireRepo(owner, repo);
      addUser(login);
      roles.set(`${repoKey(owner, repo)}@${login.toLowerCase()}`, role);
    },
    role: (owner: string, repo: string, login: string): RepoRole | undefined => roles.get(`${repoKey(owner, repo)}@${login.toLowerCase()}`),

    addPullRequest(o: AddPullRequestOptions): FakePullRequest {
      const repo = requireRepo(o.owner, o.repo);
      const key = repoKey(o.owner, o.repo);
      const number = o.number ?? (lastIssueNumber.get(key) ?? 0) + 1;
      if (pulls.has(`${key}#${number}`) || issueState.issue(o.owner, o.repo, number)) throw new FakeGitHubError("conflict", `pull request ${o.owner}/${o.repo}#${number} exists`);
      lastIssueNumber.set(key, Math.max(number, lastIssueNumber.get(key) ?? 0));
      addUser(o.user);
      const now = options.now();
      const baseRef = o.baseRef ?? repo.defaultBranch;
      const pr: FakePullRequest = {
        id: nextId(),
        owner: repo.owner,
        repo: repo.name,
        number,
        title: o.title ?? `Pull request #${number}`,
        body: o.body ?? null,
        user: o.user,
        headSha: o.headSha,
        headRef: o.headRef,
        headRepoFullName: o.headRepoFullName ?? `${repo.owner}/${repo.name}`,
        baseRef,
        baseSha: o.baseSha ?? fakeSha(`${key}:${baseRef}`),
        draft: o.draft ?? false,
        state: "open",
        merged: false,
        mergedBy: null,
        mergeCommitSha: null,
        mergeable: o.mergeable === undefined ? true : o.mergeable,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        mergedAt: null,
      };
      pulls.set(`${key}#${number}`, pr);
      return pr;
    },
    pullRequest: (owner: string, repo: string, number: number): FakePullRequest | undefined => pulls.get(`${repoKey(owner, repo)}#${number}`),
    pullRequests,
    /** A push to the head branch: new head SHA (earlier reviews keep their old commit_id). */
    pushToPullRequest(owner: string, repo: string, number: number, headSha: string): FakePullRequest {
      const pr = requirePull(owner, repo, number);
      pr.headSha = headSha;
      pr.updatedAt = options.now();
      return pr;
    },
    updatePullRequest(owner: string, repo: string, number: number, patch: Partial<Pick<FakePullRequest, "title" | "body" | "draft" | "mergeable" | "baseSha">>): FakePullRequest {
      const pr = requirePull(owner, repo, number);
      Object.assign(pr, patch, { updatedAt: options.now() });
      return pr;
    },
    closePullRequest(owner: string, repo: string, number: number): FakePullRequest {
      const pr = requirePull(owner, repo, number);
      pr.state = "closed";
      pr.closedAt = pr.updatedAt = options.now();
      return pr;
    },
    /** Reopens a closed (not merged) pull request. */
    reopenPullRequest(owner: string, repo: string, number: number): FakePullRequest {
      const pr = requirePull(owner, repo, number);
      if (pr.merged) throw new FakeGitHubError("conflict", `${owner}/${repo}#${number} was merged: it cannot be reopened`);
      pr.state = "open";
      pr.closedAt = null;
      pr.updatedAt = options.now();
      return pr;
    },
    mergePullRequest(owner: string, repo: string, number: number, by: string): FakePullRequest {
      const pr = requirePull(owner, repo, number);
      const now = options.now();
      Object.assign(pr, { state: "closed", merged: true, mergedBy: by, mergedAt: now, closedAt: now, updatedAt: now });
      pr.mergeCommitSha = fakeSha(`merge:${pr.id}:${pr.headSha}`);
      return pr;
    },

    addReview(o: AddReviewOptions): FakeReview {
      const pr = requirePull(o.owner, o.repo, o.pullNumber);
      addUser(o.user);
      const review: FakeReview = {
        id: nextId(),
        owner: pr.owner,
        repo: pr.repo,
        pullNumber: pr.number,
        user: o.user,
        state: o.state,
        commitId: o.commitId ?? pr.headSha,
        body: o.body ?? "",
        submittedAt: options.now(),
      };
      reviews.push(review);
      return review;
    },
    dismissReview(owner: string, repo: string, pullNumber: number, reviewId: number): FakeReview {
      requirePull(owner, repo, pullNumber);
      const review = reviews.find((r) => r.id === reviewId && r.pullNumber === pullNumber && repoKey(r.owner, r.repo) === repoKey(owner, repo));
      if (!review) throw new FakeGitHubError("not-found", `no review ${reviewId} on ${owner}/${repo}#${pullNumber}`);
      review.state = "DISMISSED";
      return review;
    },
    reviews: (owner: string, repo: string, pullNumber: number): FakeReview[] =>
      reviews.filter((r) => r.pullNumber === pullNumber && repoKey(r.owner, r.repo) === repoKey(owner, repo)),
  };
}

/** A stable, valid-looking commit SHA for things the fake invents (base commits, merges). */
export function fakeSha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}
