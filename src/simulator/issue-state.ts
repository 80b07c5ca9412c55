import { FakeGitHubError } from "./fake-github-error.js";
import type { AccountType, FakeAccount, FakeIssue } from "./fake-github-model.js";

export interface AddIssueOptions {
  readonly owner: string;
  readonly repo: string;
  readonly title: string;
  readonly body?: string | null;
  readonly user: string;
  readonly labels?: readonly string[];
  /** Opened through an installation token. */
  readonly viaApp?: boolean;
}

export interface IssuePatch {
  readonly title?: string;
  readonly body?: string | null;
  readonly state?: "open" | "closed";
  readonly labels?: readonly string[];
}

/** What the issue records need from the core state. */
export interface IssueStateDeps {
  readonly nextId: () => number;
  readonly now: () => Date;
  readonly addUser: (login: string, type?: AccountType) => FakeAccount;
  readonly requireRepo: (owner: string, repo: string) => { readonly owner: string; readonly name: string };
  /** The repository's next issue number: issues and pull requests share one sequence. */
  readonly nextNumber: (owner: string, repo: string) => number;
}

const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

/** Plain issues (tfgate's drift reports), kept apart from pull requests. */
export function createIssueState(deps: IssueStateDeps) {
  const issues = new Map<string, FakeIssue>();
  const requireIssue = (owner: string, repo: string, number: number): FakeIssue => {
    const issue = issues.get(`${repoKey(owner, repo)}#${number}`);
    if (!issue) throw new FakeGitHubError("not-found", `no issue ${owner}/${repo}#${number}`);
    return issue;
  };
  return {
    addIssue(o: AddIssueOptions): FakeIssue {
      const repo = deps.requireRepo(o.owner, o.repo);
      deps.addUser(o.user);
      const now = deps.now();
      const issue: FakeIssue = {
        id: deps.nextId(),
        owner: repo.owner,
        repo: repo.name,
        number: deps.nextNumber(o.owner, o.repo),
        title: o.title,
        body: o.body ?? null,
        user: o.user,
        // GitHub creates a label the repository does not have yet; names are kept once each.
        labels: [...new Set(o.labels ?? [])],
        state: "open",
        stateReason: null,
        viaApp: o.viaApp ?? false,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      issues.set(`${repoKey(o.owner, o.repo)}#${issue.number}`, issue);
      return issue;
    },
    issue: (owner: string, repo: string, number: number): FakeIssue | undefined => issues.get(`${repoKey(owner, repo)}#${number}`),
    /** A repository's issues, oldest first. */
    issues: (owner: string, repo: string): FakeIssue[] => [...issues.values()].filter((i) => repoKey(i.owner, i.repo) === repoKey(owner, repo)).sort((a, b) => a.number - b.number),
    updateIssue(owner: string, repo: string, number: number, patch: IssuePatch): FakeIssue {
      const issue = requireIssue(owner, repo, number);
      const now = deps.now();
      if (patch.title !== undefined) issue.title = patch.title;
      if (patch.body !== undefined) issue.body = patch.body;
      if (patch.labels !== undefined) issue.labels = [...new Set(patch.labels)];
      if (patch.state !== undefined && patch.state !== issue.state) {
        issue.state = patch.state;
        issue.closedAt = patch.state === "closed" ? now : null;
        issue.stateReason = patch.state === "closed" ? "completed" : "reopened";
      }
      issue.updatedAt = now;
      return issue;
    },
  };
}
