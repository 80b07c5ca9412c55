import { App } from "@octokit/app";
import { Octokit } from "@octokit/core";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { CheckReport, Issue, Vcs, Permission, RepoRef } from "../../app/ports/vcs.js";

export interface GitHubAppOptions {
  readonly appId: string;
  readonly privateKey: string;
  /** https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, or a test fake. */
  readonly baseUrl: string;
  /** Called on every failed API call and retry, for metrics and logs. */
  readonly onApiEvent?: (event: { kind: "retry" | "rate-limit" | "error"; route: string; status?: number }) => void;
  /** Seconds multiplied into retry back-off; tests shorten it. */
  readonly retryBaseSeconds?: number;
}

/** GitHub takes at most 50 annotations per request; more go in further updates. */
const ANNOTATIONS_PER_REQUEST = 50;

/** A check run's fields as GitHub's checks API spells them (title limited to what GitHub shows). */
function checkFields(report: CheckReport, annotations: CheckReport["annotations"]) {
  const state = report.state;
  return {
    name: report.name,
    ...(state.status === "completed" ? { status: "completed" as const, conclusion: state.conclusion } : { status: state.status }),
    ...(report.detailsUrl ? { details_url: report.detailsUrl } : {}),
    output: {
      title: report.title.slice(0, 1000),
      summary: report.summary,
      annotations: annotations.map((a) => ({ path: a.path, start_line: a.line, end_line: a.line, annotation_level: a.level, title: a.title, message: a.message })),
    },
  };
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ANNOTATIONS_PER_REQUEST) out.push(items.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return out.length === 0 ? [[]] : out;
}

const TfgateOctokit = Octokit.plugin(restEndpointMethods, retry, throttling);
type Client = InstanceType<typeof TfgateOctokit>;

/**
 * The GitHub App: app JWT → installation tokens (cached and renewed by @octokit/auth-app), with
 * retries with back-off on 5xx and on primary/secondary rate limits.
 */
export function createGitHubApp(options: GitHubAppOptions): Vcs {
  const report = options.onApiEvent ?? (() => undefined);
  const limited = (kind: "rate-limit") => (retryAfter: number, o: { method: string; url: string }, _k: unknown, retryCount: number) => {
    report({ kind, route: `${o.method} ${o.url}` });
    return retryCount < 3 && retryAfter < 120;
  };
  const app = new App({
    appId: options.appId,
    privateKey: options.privateKey,
    Octokit: TfgateOctokit.defaults({
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      userAgent: "tfgate",
      retry: { retries: 3, retryAfterBaseValue: (options.retryBaseSeconds ?? 1) * 1000 },
      throttle: { onRateLimit: limited("rate-limit"), onSecondaryRateLimit: limited("rate-limit") },
    }),
  });
  const clients = new Map<number, Promise<Client>>();
  const client = (repo: RepoRef): Promise<Client> => {
    let c = clients.get(repo.hostId);
    if (!c) {
      c = app.getInstallationOctokit(repo.hostId) as Promise<Client>;
      c.catch(() => clients.delete(repo.hostId));
      clients.set(repo.hostId, c);
    }
    return c;
  };
  const call = async <T>(repo: RepoRef, route: string, fn: (o: Client) => Promise<T>): Promise<T> => {
    try {
      return await fn(await client(repo));
    } catch (err) {
      report({ kind: "error", route, status: (err as { status?: number }).status });
      throw err;
    }
  };
  const where = (repo: RepoRef) => ({ owner: repo.owner, repo: repo.name });
  let appLogin: Promise<string> | null = null;
  const botLogin = () => (appLogin ??= app.octokit.request("GET /app").then((r) => `${(r.data as { slug?: string }).slug ?? "tfgate"}[bot]`));

  return {
    async resolveRepo(owner, name) {
      const { data } = await app.octokit.request("GET /repos/{owner}/{repo}/installation", { owner, repo: name });
      return { owner, name, hostId: data.id };
    },
    async changeRequest(repo, number) {
      const { data } = await call(repo, "pulls.get", (o) => o.rest.pulls.get({ ...where(repo), pull_number: number }));
      return {
        number: data.number,
        state: data.state === "closed" ? "closed" : "open",
        merged: data.merged,
        draft: data.draft ?? false,
        author: data.user.login,
        headSha: data.head.sha,
        headRef: data.head.ref,
        baseRef: data.base.ref,
        baseSha: data.base.sha,
        defaultBranch: data.base.repo.default_branch,
        fromFork: (data.head.repo?.full_name ?? "") !== data.base.repo.full_name,
        mergeable: data.mergeable,
      };
    },
    async permission(repo, user) {
      try {
        const { data } = await call(repo, "repos.getCollaboratorPermissionLevel", (o) =>
          o.rest.repos.getCollaboratorPermissionLevel({ ...where(repo), username: user }),
        );
        // role_name distinguishes maintain/triage; permission folds them into write/read.
        const role = (data.role_name ?? data.permission) as string;
        return (["admin", "maintain", "write", "triage", "read"].includes(role) ? role : data.permission) as Permission;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return "none";
        throw err;
      }
    },
    async comments(repo, issue) {
      const login = await botLogin().catch(() => "");
      const out: { id: number; body: string; byApp: boolean }[] = [];
      for (let page = 1; ; page++) {
        const { data } = await call(repo, "issues.listComments", (o) => o.rest.issues.listComments({ ...where(repo), issue_number: issue, per_page: 100, page }));
        for (const c of data) out.push({ id: Number(c.id), body: c.body ?? "", byApp: c.performed_via_github_app?.id === Number(options.appId) || c.user?.login === login });
        if (data.length < 100) return out;
      }
    },
    async createComment(repo, issue, body) {
      const { data } = await call(repo, "issues.createComment", (o) => o.rest.issues.createComment({ ...where(repo), issue_number: issue, body }));
      return Number(data.id);
    },
    async updateComment(repo, commentId, body) {
      await call(repo, "issues.updateComment", (o) => o.rest.issues.updateComment({ ...where(repo), comment_id: commentId, body }));
    },
    async react(repo, commentId, content) {
      await call(repo, "reactions.createForIssueComment", (o) => o.rest.reactions.createForIssueComment({ ...where(repo), comment_id: commentId, content }));
    },
    async setStatus(repo, sha, status) {
      await call(repo, "repos.createCommitStatus", (o) =>
        o.rest.repos.createCommitStatus({
          ...where(repo),
          sha,
          state: status.state,
          context: status.context,
          // GitHub rejects descriptions over 140 characters.
          description: status.description.slice(0, 140),
          ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
        }),
      );
    },
    async createCheck(repo, sha, report) {
      const [first = [], ...rest] = batches(report.annotations);
      const { data } = await call(repo, "checks.create", (o) => o.rest.checks.create({ ...where(repo), head_sha: sha, ...checkFields(report, first) }));
      const id = Number(data.id);
      for (const annotations of rest) {
        await call(repo, "checks.update", (o) => o.rest.checks.update({ ...where(repo), check_run_id: id, ...checkFields(report, annotations) }));
      }
      return id;
    },
    async updateCheck(repo, checkId, report) {
      for (const annotations of batches(report.annotations)) {
        await call(repo, "checks.update", (o) => o.rest.checks.update({ ...where(repo), check_run_id: checkId, ...checkFields(report, annotations) }));
      }
    },
    async reviews(repo, pr) {
      const out: { reviewer: string; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING"; commitId: string; submittedAt: string }[] = [];
      for (let page = 1; ; page++) {
        const { data } = await call(repo, "pulls.listReviews", (o) => o.rest.pulls.listReviews({ ...where(repo), pull_number: pr, per_page: 100, page }));
        for (const r of data) {
          if (!r.user || !r.commit_id) continue;
          out.push({ reviewer: r.user.login, state: r.state as (typeof out)[number]["state"], commitId: r.commit_id, submittedAt: r.submitted_at ?? "" });
        }
        if (data.length < 100) return out;
      }
    },
    async teamMember(repo, team, user) {
      const [org, slug] = team.split("/");
      if (!org || !slug) throw new Error(`approver team "${team}" must be written org/team`);
      try {
        const { data } = await call(repo, "teams.getMembershipForUserInOrg", (o) => o.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: user }));
        // A pending invitation is not membership.
        return data.state === "active";
      } catch (err) {
        if ((err as { status?: number }).status === 404) return false;
        throw err;
      }
    },
    async commitChecks(repo, sha) {
      const out: { name: string; state: "success" | "pending" | "failure" }[] = [];
      for (let page = 1; ; page++) {
        const { data } = await call(repo, "repos.getCombinedStatusForRef", (o) => o.rest.repos.getCombinedStatusForRef({ ...where(repo), ref: sha, per_page: 100, page }));
        // GitHub's `error` is a failure as far as waiting for it goes.
        for (const s of data.statuses) out.push({ name: s.context, state: s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure" });
        if (data.statuses.length < 100) break;
      }
      for (let page = 1; ; page++) {
        const { data } = await call(repo, "checks.listForRef", (o) => o.rest.checks.listForRef({ ...where(repo), ref: sha, per_page: 100, page }));
        for (const c of data.check_runs) {
          if (c.app?.id === Number(options.appId)) continue;
          const passed = c.conclusion === "success" || c.conclusion === "neutral" || c.conclusion === "skipped";
          out.push({ name: c.name, state: c.status !== "completed" ? "pending" : passed ? "success" : "failure" });
        }
        if (data.check_runs.length < 100) return out;
      }
    },
    async merge(repo, pr, sha) {
      try {
        const { data } = await call(repo, "pulls.merge", (o) => o.rest.pulls.merge({ ...where(repo), pull_number: pr, sha }));
        return { merged: true, sha: data.sha };
      } catch (err) {
        const status = (err as { status?: number }).status;
        // 405 not mergeable, 409 head moved, 403/422 branch protection or permissions: say why.
        if (status === 403 || status === 405 || status === 409 || status === 422) {
          return { merged: false, reason: (err as { response?: { data?: { message?: string } } }).response?.data?.message ?? `GitHub answered ${status}` };
        }
        throw err;
      }
    },
    async createIssue(repo, issue) {
      const { data } = await call(repo, "issues.create", (o) => o.rest.issues.create({ ...where(repo), title: issue.title, body: issue.body, labels: [...issue.labels] }));
      return data.number;
    },
    async updateIssue(repo, number, patch) {
      try {
        await call(repo, "issues.update", (o) => o.rest.issues.update({ ...where(repo), issue_number: number, ...patch }));
        return { status: "updated" };
      } catch (err) {
        // 404: deleted (or never there); 410: deleted, GitHub says so when issues are on.
        const status = (err as { status?: number }).status;
        if (status === 404 || status === 410) return { status: "gone" };
        throw err;
      }
    },
    async findIssues(repo, label) {
      const login = await botLogin().catch(() => "");
      const out: Issue[] = [];
      for (let page = 1; ; page++) {
        // `creator` narrows the list to the app's own issues where its login is known; byApp still decides.
        const { data } = await call(repo, "issues.listForRepo", (o) =>
          o.rest.issues.listForRepo({ ...where(repo), labels: label, state: "open", ...(login ? { creator: login } : {}), sort: "created", direction: "asc", per_page: 100, page }),
        );
        for (const i of data) {
          // GitHub lists pull requests among issues.
          if (i.pull_request) continue;
          const byApp = i.performed_via_github_app?.id === Number(options.appId) || (login !== "" && i.user?.login === login);
          out.push({ number: i.number, title: i.title, body: i.body ?? "", state: i.state === "closed" ? "closed" : "open", byApp });
        }
        if (data.length < 100) return out;
      }
    },
    async cloneToken(repo) {
      const o = await client(repo);
      const auth = (await o.auth({ type: "installation" })) as { token: string };
      return auth.token;
    },
  };
}
