import type { IncomingMessage, ServerResponse } from "node:http";
import type { CheckDriftNowInput, CheckDriftNowResult } from "../../../app/check-drift-now.js";
import type { DriftCheckRecord, DriftResults } from "../../../app/ports/drift-results.js";
import type { Logger } from "../../../app/ports/logger.js";
import { DRIFT_OFF, driftHistoryPage, driftKey, driftPage, historyHref, type DriftPageContext } from "./drift-pages.js";
import { readForm, redirect, sameOrigin, sendHtml } from "./ui-http.js";
import type { PullLink } from "./ui-pages.js";
import { messagePage } from "./ui-pages.js";
import { isProjectName } from "../../../domain/projects/project-name.js";

export interface DriftRoutesDeps {
  readonly drift: Pick<DriftResults, "latest" | "history" | "repositories">;
  /** Runs a drift check outside the schedule, settling when it ends; absent with TFGATE_DRIFT=false. */
  readonly checkDriftNow?: (input: CheckDriftNowInput) => Promise<CheckDriftNowResult>;
  readonly log: Logger;
  readonly pullLink: PullLink;
  readonly now?: () => number;
}

/** Handles the request when it is one of the drift pages' (true), else leaves it (false). */
export type DriftRoutes = (req: IncomingMessage, res: ServerResponse, url: URL, path: string, user: string) => Promise<boolean>;

/** Checks a project's history page lists. */
const HISTORY_LIMIT = 20;
/** A "queued" notice in a link is believed while a check it names started this recently. */
const NOTICE_WINDOW_MS = 10 * 60_000;

/**
 * The drift pages (`/ui/drift`, `/ui/drift/history`) and "Check now" (`POST /ui/drift/check`).
 * A check takes minutes, so the POST only starts it and answers at once; what can be refused
 * without running anything (drift off, an unknown repository or project, a check already
 * queued) is refused here, with nothing started. A later refusal or failure is only logged: the
 * page shows the recorded result, and an error result when the check itself failed.
 */
export function createDriftRoutes(deps: DriftRoutesDeps): DriftRoutes {
  const now = deps.now ?? Date.now;
  /**
   * Checks asked for here whose promise has not settled, with when they were asked. One is
   * queued until a check it covers has started since then: from there on the recorded check
   * speaks for itself (running, then its result), even while what follows a result (the drift
   * issue) is still under way.
   */
  const asked = new Map<string, { readonly repo: string; readonly project: string | null; readonly at: number }>();
  const queuedIn = (latest: readonly DriftCheckRecord[]): Set<string> =>
    new Set([...asked].filter(([, a]) => !latest.some((r) => r.repo === a.repo && (a.project === null || r.project === a.project) && r.startedAt >= a.at)).map(([key]) => key));
  const context = (notice: string | null, latest: readonly DriftCheckRecord[]): DriftPageContext => ({ enabled: deps.checkDriftNow !== undefined, queued: queuedIn(latest), notice, pull: deps.pullLink });

  async function knownRepos(): Promise<string[]> {
    const latest = await deps.drift.latest();
    return [...new Set([...(await deps.drift.repositories()), ...latest.map((r) => r.repo)])].sort();
  }

  /**
   * The notice a redirect after "Check now" asks for, only while it is true (queued here, or a
   * check of it started lately): a crafted link cannot make the page claim a check nobody asked for.
   */
  async function queuedNotice(repo: string, project: string | null): Promise<string | null> {
    const label = project === null ? `all projects of ${repo}` : `${repo} ${project}`;
    if (queuedIn(await deps.drift.latest(repo)).has(driftKey(repo, project))) return `Check of ${label} queued.`;
    const recent = (await deps.drift.latest(repo)).filter((r) => (project === null || r.project === project) && r.startedAt >= now() - NOTICE_WINDOW_MS);
    return recent.length > 0 ? `Check of ${label} queued.` : null;
  }

  async function start(res: ServerResponse, form: URLSearchParams | null, user: string): Promise<void> {
    const repo = form?.get("repo") ?? "";
    const project = form?.get("project") || null;
    if (!repo) return sendHtml(res, 400, messagePage("Bad request", "The form needs a repo (and optionally a project)."));
    const checkNow = deps.checkDriftNow;
    if (!checkNow) return sendHtml(res, 409, messagePage("Not checked", `Nothing was started: ${DRIFT_OFF}.`));
    if (!(await knownRepos()).includes(repo)) return sendHtml(res, 404, messagePage("Not checked", `tfgate knows no repository ${repo}: nothing was started.`));
    const latest = await deps.drift.latest(repo);
    if (project !== null && !latest.some((r) => r.project === project)) {
      return sendHtml(res, 404, messagePage("Not checked", `${repo} has no drift-checked project ${project}: nothing was started. "Check all projects now" checks every project of its default branch.`));
    }
    const key = driftKey(repo, project);
    const running = latest.some((r) => r.state === "started" && (project === null || r.project === project));
    const queued = queuedIn(latest);
    if (queued.has(key) || queued.has(driftKey(repo, null)) || running) {
      return sendHtml(res, 409, messagePage("Not checked", `A check of ${project ?? repo} is already queued or running: nothing more was started.`));
    }
    const entry = { repo, project, at: now() };
    asked.set(key, entry);
    const fields = { repo, project, actor: user };
    deps.log.info(fields, "drift check asked for from the web UI");
    // Not awaited: the answer is the redirect; the check's result is recorded by the check itself.
    void checkNow({ repo, ...(project === null ? {} : { projects: [project] }) })
      .then(
        (r) => r.status === "refused" && deps.log.warn({ ...fields, problem: r.message }, "drift check from the web UI refused"),
        (err: unknown) => deps.log.error({ ...fields, err }, "drift check from the web UI failed"),
      )
      .finally(() => asked.get(key) === entry && asked.delete(key));
    return redirect(res, project === null ? `/ui/drift?queued=${encodeURIComponent(repo)}` : `${historyHref(repo, project)}&queued=1`);
  }

  return async (req, res, url, path, user) => {
    const get = req.method === "GET" || req.method === "HEAD";
    if (get && path === "/ui/drift") {
      const repos = await knownRepos();
      const latest = await deps.drift.latest();
      const asked = url.searchParams.get("queued");
      const notice = asked && repos.includes(asked) ? await queuedNotice(asked, null) : null;
      const views = repos.map((repo) => ({ repo, latest: latest.filter((r) => r.repo === repo) }));
      sendHtml(res, 200, driftPage(views, context(notice, latest)));
      return true;
    }
    if (get && path === "/ui/drift/history") {
      const repo = url.searchParams.get("repo") ?? "";
      const project = url.searchParams.get("project") ?? "";
      // Checked here, not left to the store (which refuses them as a failure: a 500).
      if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo) || !isProjectName(project)) {
        sendHtml(res, 400, messagePage("Bad request", "The history needs a repo (owner/name) and a project name."));
        return true;
      }
      const checks = await deps.drift.history(repo, project, HISTORY_LIMIT);
      if (checks.length === 0) {
        sendHtml(res, 404, messagePage("No such project", `No drift check of ${project} in ${repo} is recorded.`));
        return true;
      }
      const notice = url.searchParams.get("queued") ? await queuedNotice(repo, project) : null;
      sendHtml(res, 200, driftHistoryPage(repo, project, checks, context(notice, await deps.drift.latest(repo))));
      return true;
    }
    if (req.method === "POST" && path === "/ui/drift/check") {
      if (!sameOrigin(req)) sendHtml(res, 403, messagePage("Refused", "This form must be sent from tfgate's own page."));
      else await start(res, await readForm(req), user);
      return true;
    }
    return false;
  };
}
