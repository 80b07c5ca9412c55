import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { FakeGitHubError } from "./fake-github-error.js";
import { isObject } from "./openapi-schema.js";
import { iso } from "./representations/representation-context.js";
import { accountLinks } from "./representations/user-representation.js";

export type WebhookEvent = WebhookDefinition["name"];
export type WebhookPayload<E extends WebhookEvent> = WebhookDefinition<E>["examples"][number];

export interface PayloadAccount {
  readonly login: string;
  readonly id?: number;
  readonly type?: "User" | "Organization" | "Bot";
}

export interface PayloadRepository {
  readonly owner: string;
  readonly name: string;
  readonly id?: number;
  readonly ownerId?: number;
  readonly cloneUrl?: string;
  readonly defaultBranch?: string;
  readonly private?: boolean;
}

export interface PayloadPullRequest {
  readonly number: number;
  readonly id?: number;
  readonly title?: string;
  readonly user?: PayloadAccount;
  readonly headSha?: string;
  readonly headRef?: string;
  readonly baseRef?: string;
  readonly baseSha?: string;
  readonly draft?: boolean;
  /** Owner of the fork the head lives in; absent for a branch of the base repository. */
  readonly forkOwner?: string;
  readonly state?: "open" | "closed";
  readonly merged?: boolean;
  readonly createdAt?: Date;
  /** GitHub moves it with every change (push, close, reopen...): tfgate tells events apart by it. */
  readonly updatedAt?: Date;
}

/** What a test changes in a real payload so that it describes its own repository and PR. */
export interface PayloadAdaptation {
  readonly repository?: PayloadRepository;
  readonly installationId?: number;
  readonly sender?: PayloadAccount;
  readonly pullRequest?: PayloadPullRequest;
  /** `issue_comment` on a plain issue: the issue (the payload then has no `pull_request` key). */
  readonly issue?: { readonly number: number; readonly id: number; readonly title: string; readonly body: string | null; readonly user: PayloadAccount; readonly state: "open" | "closed"; readonly labels: readonly string[]; readonly createdAt: Date; readonly updatedAt: Date };
  readonly comment?: { readonly id: number; readonly body: string; readonly user?: PayloadAccount; readonly createdAt?: Date; readonly updatedAt?: Date };
  readonly review?: { readonly id: number; readonly state: "approved" | "changes_requested" | "commented" | "dismissed"; readonly commitId: string; readonly user?: PayloadAccount; readonly body?: string };
  /** `check_run`: the run, and the suite it belongs to (`app` of both is the creating app). */
  readonly checkRun?: { readonly id: number; readonly name: string; readonly headSha: string; readonly appId: number; readonly suiteId: number; readonly status: string; readonly conclusion: string | null; readonly pullRequests: readonly number[] };
  /** `check_suite`: the suite of one app's check runs on a commit. */
  readonly checkSuite?: { readonly id: number; readonly headSha: string; readonly appId: number; readonly pullRequests: readonly number[] };
}

type Json = Record<string, unknown>;

/**
 * A real GitHub payload from `@octokit/webhooks-examples` for `event`/`action`, adapted: links that
 * named the example repository (Codertocat/Hello-World) name the given one, and the PR, comment,
 * review, sender and installation are the caller's. Fields the caller does not mention keep their
 * real-world values. For `issue_comment`, giving `pullRequest` makes the issue a pull request.
 */
export function examplePayload<E extends WebhookEvent>(event: E, action: string, adapt: PayloadAdaptation = {}): WebhookPayload<E> {
  const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
  const example = definitions.find((d) => d.name === event)?.examples.find((e) => (e as { action?: string }).action === action);
  if (!example) throw new FakeGitHubError("not-found", `@octokit/webhooks-examples has no ${event}.${action} payload`);
  let payload = structuredClone(example) as unknown as Json;
  const original = payload.repository as Json | undefined;
  const repo = adapt.repository;
  if (repo && isObject(original) && typeof original.full_name === "string") {
    payload = rewriteStrings(payload, original.full_name, `${repo.owner}/${repo.name}`) as Json;
    payload.repository = adaptRepository(payload.repository as Json, repo, repo.owner, false);
  }
  if (adapt.installationId !== undefined) payload.installation = { id: adapt.installationId, node_id: Buffer.from(`Installation${adapt.installationId}`).toString("base64") };
  if (adapt.sender) payload.sender = account(adapt.sender);
  const pr = adapt.pullRequest;
  if (pr && isObject(payload.pull_request)) {
    payload.pull_request = adaptPullRequest(payload.pull_request, pr, payload.repository as Json, repo);
    if ("number" in payload) payload.number = pr.number;
  }
  if (pr && isObject(payload.issue)) payload.issue = adaptIssue(payload.issue, pr, payload.repository as Json);
  if (adapt.issue && isObject(payload.issue)) payload.issue = adaptPlainIssue(payload.issue, adapt.issue, payload.repository as Json);
  if (adapt.comment && isObject(payload.comment)) {
    const issueUrl = String((payload.issue as Json | undefined)?.url ?? "");
    const html = String((payload.issue as Json | undefined)?.html_url ?? "");
    payload.comment = {
      ...payload.comment,
      id: adapt.comment.id,
      body: adapt.comment.body,
      url: issueUrl.replace(/\/issues\/\d+$/, `/issues/comments/${adapt.comment.id}`),
      html_url: `${html}#issuecomment-${adapt.comment.id}`,
      issue_url: issueUrl,
      ...(adapt.comment.user ? { user: account(adapt.comment.user) } : {}),
      ...(adapt.comment.createdAt ? { created_at: iso(adapt.comment.createdAt) } : {}),
      ...(adapt.comment.updatedAt ? { updated_at: iso(adapt.comment.updatedAt) } : {}),
    };
  }
  if (adapt.review && isObject(payload.review)) {
    payload.review = {
      ...payload.review,
      id: adapt.review.id,
      state: adapt.review.state,
      commit_id: adapt.review.commitId,
      body: adapt.review.body ?? null,
      ...(adapt.review.user ? { user: account(adapt.review.user) } : {}),
    };
  }
  if (adapt.checkRun && isObject(payload.check_run)) payload.check_run = adaptCheckRun(payload.check_run, adapt.checkRun, payload.repository as Json);
  if (adapt.checkSuite && isObject(payload.check_suite)) {
    payload.check_suite = adaptSuite(payload.check_suite, adapt.checkSuite, payload.repository as Json);
  }
  return payload as unknown as WebhookPayload<E>;
}

function adaptCheckRun(source: Json, run: NonNullable<PayloadAdaptation["checkRun"]>, repository: Json): Json {
  const api = String(repository.url ?? "");
  const suite = isObject(source.check_suite) ? adaptSuite(source.check_suite, { id: run.suiteId, headSha: run.headSha, appId: run.appId, pullRequests: run.pullRequests }, repository) : source.check_suite;
  return {
    ...source,
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${String(repository.html_url ?? "")}/runs/${run.id}`,
    check_suite: suite,
    ...(isObject(source.app) ? { app: { ...source.app, id: run.appId } } : {}),
    pull_requests: pullRequestRefs(run.pullRequests, run.headSha, repository),
  };
}

function adaptSuite(source: Json, suite: NonNullable<PayloadAdaptation["checkSuite"]>, repository: Json): Json {
  return {
    ...source,
    id: suite.id,
    head_sha: suite.headSha,
    after: suite.headSha,
    url: `${String(repository.url ?? "")}/check-suites/${suite.id}`,
    ...(isObject(source.app) ? { app: { ...source.app, id: suite.appId } } : {}),
    pull_requests: pullRequestRefs(suite.pullRequests, suite.headSha, repository),
  };
}

/** The `pull_requests` of check payloads: minimal references (GitHub lists same-repository PRs only). */
function pullRequestRefs(numbers: readonly number[], headSha: string, repository: Json): Json[] {
  const api = String(repository.url ?? "");
  const repo = { id: repository.id, url: api, name: repository.name };
  return numbers.map((n) => ({ url: `${api}/pulls/${n}`, id: n, number: n, head: { ref: "", sha: headSha, repo }, base: { ref: String(repository.default_branch ?? "main"), sha: headSha, repo } }));
}

function adaptPullRequest(source: Json, pr: PayloadPullRequest, baseRepo: Json, repo: PayloadRepository | undefined): Json {
  const out = renumber(source, Number(source.number), pr.number);
  const owner = repo?.owner ?? String((baseRepo.owner as Json | undefined)?.login ?? "");
  const head = { ...(out.head as Json) };
  const base = { ...(out.base as Json) };
  if (pr.baseRef !== undefined) Object.assign(base, { ref: pr.baseRef, label: `${owner}:${pr.baseRef}` });
  if (pr.baseSha !== undefined) base.sha = pr.baseSha;
  base.repo = baseRepo;
  base.user = baseRepo.owner;
  const headOwner = pr.forkOwner ?? owner;
  const headRef = pr.headRef ?? String(head.ref);
  Object.assign(head, { ref: headRef, label: `${headOwner}:${headRef}` });
  if (pr.headSha !== undefined) {
    head.sha = pr.headSha;
    out.statuses_url = String(out.statuses_url).replace(/[0-9a-f]{40}$/, pr.headSha);
  }
  if (pr.forkOwner !== undefined && repo) {
    const fork = rewriteStrings(baseRepo, `${repo.owner}/${repo.name}`, `${pr.forkOwner}/${repo.name}`) as Json;
    head.repo = { ...adaptRepository(fork, { owner: pr.forkOwner, name: repo.name, id: (repo.id ?? 1) + 500_000 }, pr.forkOwner, true), fork: true };
    head.user = account({ login: pr.forkOwner });
  } else {
    head.repo = baseRepo;
    head.user = baseRepo.owner;
  }
  Object.assign(out, { head, base });
  if (pr.id !== undefined) out.id = pr.id;
  if (pr.title !== undefined) out.title = pr.title;
  if (pr.user) out.user = account(pr.user);
  if (pr.draft !== undefined) out.draft = pr.draft;
  if (pr.state !== undefined) out.state = pr.state;
  if (pr.merged !== undefined) out.merged = pr.merged;
  if (pr.createdAt !== undefined) out.created_at = iso(pr.createdAt);
  if (pr.updatedAt !== undefined) out.updated_at = iso(pr.updatedAt);
  return out;
}

function adaptIssue(source: Json, pr: PayloadPullRequest, repository: Json): Json {
  const out = renumber(source, Number(source.number), pr.number);
  const html = String(out.html_url).replace(/\/issues\/(\d+)$/, "/pull/$1");
  const api = String(repository.url ?? "");
  Object.assign(out, {
    html_url: html,
    pull_request: { url: `${api}/pulls/${pr.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: null },
    state: pr.state ?? "open",
    ...(pr.title !== undefined ? { title: pr.title } : {}),
    ...(pr.user ? { user: account(pr.user) } : {}),
    ...(pr.draft !== undefined ? { draft: pr.draft } : {}),
  });
  return out;
}

function adaptPlainIssue(source: Json, issue: NonNullable<PayloadAdaptation["issue"]>, repository: Json): Json {
  const out = renumber(source, Number(source.number), issue.number);
  delete out.pull_request;
  delete out.draft;
  const labels = Array.isArray(out.labels) && isObject(out.labels[0]) ? out.labels[0] : {};
  const api = String(repository.url ?? "");
  Object.assign(out, {
    id: issue.id,
    title: issue.title,
    body: issue.body,
    user: account(issue.user),
    state: issue.state,
    labels: issue.labels.map((name, i) => ({ ...labels, id: issue.id * 100 + i, name, url: `${api}/labels/${encodeURIComponent(name)}`, default: false })),
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
  });
  return out;
}

function adaptRepository(source: Json, repo: PayloadRepository, ownerLogin: string, fork: boolean): Json {
  const full = `${repo.owner}/${repo.name}`;
  return {
    ...source,
    name: repo.name,
    full_name: full,
    owner: account({ login: ownerLogin, type: "Organization", ...(repo.ownerId !== undefined ? { id: repo.ownerId } : {}) }),
    fork,
    ...(repo.id !== undefined ? { id: repo.id } : {}),
    ...(repo.cloneUrl !== undefined ? { clone_url: repo.cloneUrl } : {}),
    ...(repo.defaultBranch !== undefined ? { default_branch: repo.defaultBranch, master_branch: repo.defaultBranch } : {}),
    ...(repo.private !== undefined ? { private: repo.private, visibility: repo.private ? "private" : "public" } : {}),
  };
}

/** A user object shaped like the ones in real payloads. */
function account(a: PayloadAccount): Json {
  const api = `https://api.github.com/users/${encodeURIComponent(a.login)}`;
  const id = a.id ?? stableId(a.login);
  return {
    login: a.login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString("base64"),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `https://github.com/${encodeURIComponent(a.login)}`,
    ...accountLinks(api),
    type: a.type ?? "User",
    site_admin: false,
  };
}

function stableId(login: string): number {
  let hash = 7;
  for (const char of login) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 90_000_000;
  return 10_000_000 + hash;
}

/** Replaces `/N` and `/N.` suffixes of issue and pull links, and the number itself. */
function renumber(source: Json, from: number, to: number): Json {
  const out = rewriteStrings(source, undefined, undefined, (s) => s.replace(new RegExp(`/(pulls|pull|issues)/${from}(?=$|[/#.])`, "g"), `/$1/${to}`)) as Json;
  out.number = to;
  return out;
}

function rewriteStrings(value: unknown, from: string | undefined, to: string | undefined, extra?: (s: string) => string): unknown {
  if (typeof value === "string") {
    const replaced = from !== undefined && to !== undefined ? value.split(from).join(to) : value;
    return extra ? extra(replaced) : replaced;
  }
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, from, to, extra));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStrings(v, from, to, extra)]));
  return value;
}
