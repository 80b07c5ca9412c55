import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";
import { simpleUser } from "./user-representation.js";

interface RepoFacts {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly cloneUrl: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly fork: boolean;
  readonly createdAt: Date;
}

/**
 * The facts behind a repository representation. A fork the test never registered (the head of a
 * fork PR) is invented from its full name, since GitHub always embeds the head repository.
 */
function repoFacts(ctx: RepresentationContext, fullName: string): RepoFacts {
  const [owner = "", name = ""] = fullName.split("/");
  const known = ctx.state.repo(owner, name);
  if (known) return { ...known, fork: false };
  const account = ctx.state.addUser(owner);
  return { id: account.id + 500_000, owner, name, cloneUrl: `${ctx.htmlUrl}/${fullName}.git`, defaultBranch: "main", private: false, fork: true, createdAt: new Date(0) };
}

/** `minimal-repository`: what a combined status embeds. */
export function minimalRepository(ctx: RepresentationContext, fullName: string) {
  const repo = repoFacts(ctx, fullName);
  const full = `${repo.owner}/${repo.name}`;
  const api = `${ctx.apiUrl}/repos/${full}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    owner: simpleUser(ctx, repo.owner),
    private: repo.private,
    html_url: `${ctx.htmlUrl}/${full}`,
    description: null,
    fork: repo.fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  };
}

/** `repository`: the full form, embedded as the head and base of a pull request. */
export function repository(ctx: RepresentationContext, fullName: string) {
  const repo = repoFacts(ctx, fullName);
  const host = new URL(ctx.htmlUrl).host;
  const full = `${repo.owner}/${repo.name}`;
  const openPulls = ctx.state.pullRequests(repo.owner, repo.name).filter((p) => p.state === "open").length;
  const created = iso(repo.createdAt);
  return {
    ...minimalRepository(ctx, fullName),
    git_url: `git://${host}/${full}.git`,
    ssh_url: `git@${host}:${full}.git`,
    clone_url: repo.cloneUrl,
    svn_url: `${ctx.htmlUrl}/${full}`,
    mirror_url: null,
    homepage: null,
    language: "HCL",
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: openPulls,
    open_issues_count: openPulls,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    license: null,
    allow_forking: !repo.private,
    web_commit_signoff_required: false,
    pushed_at: created,
    created_at: created,
    updated_at: created,
  };
}
