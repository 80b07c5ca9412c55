import type { PayloadAccount, PayloadAdaptation } from "./example-payload.js";
import { FakeGitHubError } from "./fake-github-error.js";
import type { FakeGitHubState } from "./fake-github-state.js";

/**
 * The adaptation that makes an example payload describe a pull request as the fake knows it
 * (repository, installation, head/base, draft, fork, author), so webhook and API agree.
 */
export function pullRequestAdaptation(state: FakeGitHubState, owner: string, repo: string, number: number, sender?: string): PayloadAdaptation {
  const found = state.repo(owner, repo);
  const pr = state.pullRequest(owner, repo, number);
  if (!found || !pr) throw new FakeGitHubError("not-found", `no pull request ${owner}/${repo}#${number}`);
  const who = (login: string): PayloadAccount => {
    const account = state.addUser(login);
    return { login: account.login, id: account.id, type: account.type };
  };
  const headOwner = pr.headRepoFullName.split("/")[0] ?? found.owner;
  return {
    repository: { owner: found.owner, name: found.name, id: found.id, ownerId: state.addUser(found.owner).id, cloneUrl: found.cloneUrl, defaultBranch: found.defaultBranch, private: found.private },
    installationId: found.installationId,
    sender: who(sender ?? pr.user),
    pullRequest: {
      number: pr.number,
      id: pr.id,
      title: pr.title,
      user: who(pr.user),
      headSha: pr.headSha,
      headRef: pr.headRef,
      baseRef: pr.baseRef,
      baseSha: pr.baseSha,
      draft: pr.draft,
      state: pr.state,
      merged: pr.merged,
      createdAt: pr.createdAt,
      updatedAt: pr.updatedAt,
      ...(headOwner.toLowerCase() !== found.owner.toLowerCase() ? { forkOwner: headOwner } : {}),
    },
  };
}

/** The same, for an `issue_comment` about an existing comment in the fake (on a pull request or a plain issue). */
export function commentAdaptation(state: FakeGitHubState, commentId: number): PayloadAdaptation {
  const comment = state.comment(commentId);
  if (!comment) throw new FakeGitHubError("not-found", `no comment ${commentId}`);
  const user = state.addUser(comment.user);
  const issue = state.issue(comment.owner, comment.repo, comment.issueNumber);
  const base: PayloadAdaptation = issue
    ? {
        ...repositoryAdaptation(state, comment.owner, comment.repo, comment.user),
        issue: { number: issue.number, id: issue.id, title: issue.title, body: issue.body, user: { login: issue.user, id: state.addUser(issue.user).id, type: state.addUser(issue.user).type }, state: issue.state, labels: issue.labels, createdAt: issue.createdAt, updatedAt: issue.updatedAt },
      }
    : pullRequestAdaptation(state, comment.owner, comment.repo, comment.issueNumber, comment.user);
  return { ...base, comment: { id: comment.id, body: comment.body, user: { login: user.login, id: user.id, type: user.type }, createdAt: comment.createdAt, updatedAt: comment.updatedAt } };
}

/** The same, for a `check_run` about a check run in the fake (`sender` clicked "Re-run"). */
export function checkRunAdaptation(state: FakeGitHubState, checkRunId: number, sender: string): PayloadAdaptation {
  const run = state.checkRun(checkRunId);
  if (!run) throw new FakeGitHubError("not-found", `no check run ${checkRunId}`);
  const pulls = state.pullRequests(run.owner, run.repo).filter((p) => p.state === "open" && p.headSha === run.headSha).map((p) => p.number);
  return {
    ...repositoryAdaptation(state, run.owner, run.repo, sender),
    checkRun: { id: run.id, name: run.name, headSha: run.headSha, appId: run.appId, suiteId: run.checkSuiteId, status: run.status, conclusion: run.conclusion, pullRequests: pulls },
  };
}

/** The same, for a `check_suite` of `appId`'s check runs on a commit (`sender` clicked "Re-run all"). */
export function checkSuiteAdaptation(state: FakeGitHubState, owner: string, repo: string, sha: string, appId: number, sender: string): PayloadAdaptation {
  const runs = state.checkRuns(owner, repo, sha).filter((r) => r.appId === appId);
  const first = runs[0];
  if (!first) throw new FakeGitHubError("not-found", `no check run of app ${appId} on ${sha}`);
  const pulls = state.pullRequests(owner, repo).filter((p) => p.state === "open" && p.headSha === sha).map((p) => p.number);
  return { ...repositoryAdaptation(state, owner, repo, sender), checkSuite: { id: first.checkSuiteId, headSha: sha, appId, pullRequests: pulls } };
}

function repositoryAdaptation(state: FakeGitHubState, owner: string, repo: string, sender: string): PayloadAdaptation {
  const found = state.repo(owner, repo);
  if (!found) throw new FakeGitHubError("not-found", `no repository ${owner}/${repo}`);
  const who = state.addUser(sender);
  return {
    repository: { owner: found.owner, name: found.name, id: found.id, ownerId: state.addUser(found.owner).id, cloneUrl: found.cloneUrl, defaultBranch: found.defaultBranch, private: found.private },
    installationId: found.installationId,
    sender: { login: who.login, id: who.id, type: who.type },
  };
}
