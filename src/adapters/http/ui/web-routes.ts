import type { IncomingMessage, ServerResponse } from "node:http";
import type { RunLogs } from "../../../app/ports/run-logs.js";
import { isStoreError } from "../../../app/ports/store-error.js";
import { type AuditLog } from "../../../app/ports/audit.js";
import { type JobStore } from "../../../app/ports/jobs.js";
import { type Locks } from "../../../app/ports/locks.js";
import type { ReleaseLockResult } from "../../../app/release-lock.js";
import type { Logger } from "../../../app/ports/logger.js";
import { checkBasicAuth, type UiCredentials } from "./basic-auth.js";
import { createDriftRoutes, type DriftRoutesDeps } from "./drift-routes.js";
import { readForm, redirect, sameOrigin, SECURITY_HEADERS, send, sendHtml } from "./ui-http.js";
import { auditPage, confirmReleasePage, locksPage, messagePage, RUN_LOG_SCRIPT, runPage, runsPage, type PullLink } from "./ui-pages.js";

export interface WebRoutesDeps {
  readonly jobs: Pick<JobStore, "recent" | "get">;
  readonly audit: Pick<AuditLog, "list">;
  readonly locks: Pick<Locks, "list">;
  readonly runLogs: RunLogs;
  readonly releaseLock: (input: { repo: string; project: string; pr: number; actor: string }) => Promise<ReleaseLockResult>;
  readonly drift: DriftRoutesDeps["drift"];
  /** "Check now" on the drift pages; absent with TFGATE_DRIFT=false (the pages then say so). */
  readonly checkDriftNow?: DriftRoutesDeps["checkDriftNow"];
  readonly log: Logger;
  /** null: the UI is off (the server refuses to serve it without a password). */
  readonly credentials: UiCredentials | null;
  readonly pullLink: PullLink;
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
  /** Seconds between SSE keep-alive comments (proxies drop idle connections). */
  readonly keepAliveSeconds?: number;
}

/** Unsent bytes a live-log connection may hold before it is dropped. */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/**
 * `GET /metrics` (Prometheus; no labels per PR) and the web UI under `/ui`: runs with their live
 * logs, locks with a confirmed release, drift checks with "Check now", the audit log. Every `/ui` request needs the configured
 * Basic credentials; without a configured password the UI is not served at all.
 */
export function createWebRoutes(deps: WebRoutesDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const keepAliveMs = (deps.keepAliveSeconds ?? 15) * 1000;
  const drift = createDriftRoutes({ drift: deps.drift, log: deps.log, pullLink: deps.pullLink, ...(deps.checkDriftNow ? { checkDriftNow: deps.checkDriftNow } : {}) });

  async function ui(req: IncomingMessage, res: ServerResponse, url: URL, user: string): Promise<void> {
    const path = url.pathname.replace(/\/+$/, "") || "/ui";
    const get = req.method === "GET" || req.method === "HEAD";
    if (get && (path === "/ui" || path === "/ui/runs")) {
      const repo = url.searchParams.get("repo") ?? undefined;
      const prText = url.searchParams.get("pr");
      const pr = prText === null ? undefined : Number(prText);
      const jobs = await deps.jobs.recent({ limit: 100, ...(repo ? { repo } : {}), ...(pr !== undefined ? { pr } : {}) });
      return sendHtml(res, 200, runsPage(jobs, { ...(repo ? { repo } : {}), ...(pr !== undefined ? { pr } : {}) }, deps.pullLink, Date.now()));
    }
    if (get && path === "/ui/static/run-log.js") return send(res, 200, "text/javascript; charset=utf-8", RUN_LOG_SCRIPT);
    const run = /^\/ui\/runs\/([A-Za-z0-9_-]{1,100})(\/log|\/events)?$/.exec(path);
    if (get && run?.[1]) {
      const job = await deps.jobs.get(run[1]);
      if (!job) return sendHtml(res, 404, messagePage("No such run", `There is no run ${run[1]}.`));
      if (run[2] === "/log") return send(res, 200, "text/plain; charset=utf-8", (await deps.runLogs.read(job.id)) ?? "");
      if (run[2] === "/events") return events(req, res, job.id, job.state === "queued" || job.state === "running");
      return sendHtml(res, 200, runPage(job, deps.pullLink));
    }
    if (get && path === "/ui/locks") {
      const locks = await deps.locks.list();
      // The notice after a release names the lock, and only while it is indeed not held: a
      // crafted link cannot make the page claim a release that did not happen.
      const released = url.searchParams.get("released");
      const [repo = "", project = ""] = (released ?? "").split(" ");
      const notice = released && !locks.some((l) => l.repo === repo && l.project === project) ? `Released the lock of ${repo} ${project}.` : null;
      return sendHtml(res, 200, locksPage(locks, deps.pullLink, notice));
    }
    if (get && path === "/ui/locks/release") {
      const lock = (await deps.locks.list()).find((l) => l.repo === url.searchParams.get("repo") && l.project === url.searchParams.get("project"));
      if (!lock) return sendHtml(res, 404, messagePage("No such lock", "That project is not locked (any more)."));
      return sendHtml(res, 200, confirmReleasePage(lock, deps.pullLink));
    }
    if (req.method === "POST" && path === "/ui/locks/release") {
      if (!sameOrigin(req)) return sendHtml(res, 403, messagePage("Refused", "This form must be sent from tfgate's own page."));
      const form = await readForm(req);
      const repo = form?.get("repo") ?? "";
      const project = form?.get("project") ?? "";
      const pr = Number(form?.get("pr") ?? "");
      if (!repo || !project || !Number.isInteger(pr) || pr <= 0) return sendHtml(res, 400, messagePage("Bad request", "The form needs repo, project and pr."));
      const result = await deps.releaseLock({ repo, project, pr, actor: user });
      if (result.status === "released") return redirect(res, `/ui/locks?released=${encodeURIComponent(`${repo} ${project}`)}`);
      const why = result.status === "held" ? `It is now held by #${result.by}, not #${pr}: nothing was released.` : "It was not locked any more: nothing was released.";
      return sendHtml(res, 409, messagePage("Not released", why));
    }
    if (get && path === "/ui/audit") {
      const before = url.searchParams.get("before");
      const records = await deps.audit.list({ limit: 100, ...(before ? { before: Number(before) } : {}) });
      return sendHtml(res, 200, auditPage(records, deps.pullLink, 100));
    }
    if (await drift(req, res, url, path, user)) return;
    return sendHtml(res, 404, messagePage("Not found", `Nothing at ${path}.`));
  }

  async function events(req: IncomingMessage, res: ServerResponse, jobId: string, running: boolean): Promise<void> {
    res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write(": tfgate run log\n\n");
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      // The end event carries the job's final state, read after it was recorded.
      void deps.jobs.get(jobId).then(
        (job) => res.end(`event: end\ndata: ${job?.state ?? "finished"}\n\n`),
        () => res.end("event: end\ndata: finished\n\n"),
      );
    };
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs);
    let stop: () => void = () => undefined;
    const onLine = (line: string) => {
      if (ended) return;
      res.write(`data: ${line.replace(/\r/g, "")}\n\n`);
      // A client that does not read (or many replaying a 10 MiB log) must not pile up in memory:
      // drop it; EventSource reconnects when it is ready, and the replay starts again.
      if (res.writableLength > MAX_UNSENT_BYTES) {
        ended = true;
        clearInterval(keepAlive);
        stop();
        res.destroy();
      }
    };
    stop = await deps.runLogs.follow(jobId, onLine, end, running);
    req.on("close", () => {
      stop();
      clearInterval(keepAlive);
    });
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://tfgate.invalid");
    if (url.pathname === "/metrics" && req.method === "GET") return send(res, 200, deps.metrics.contentType, await deps.metrics.render(), { "cache-control": "no-store" });
    if (url.pathname === "/" && req.method === "GET") return redirect(res, "/ui/runs", 302);
    if (url.pathname !== "/ui" && !url.pathname.startsWith("/ui/")) return send(res, 404, "application/json", `${JSON.stringify({ error: "not found" })}\n`);
    if (!deps.credentials) {
      return sendHtml(res, 503, messagePage("Web UI disabled", "The web UI is off because no password is configured: set TFGATE_UI_PASSWORD (and optionally TFGATE_UI_USER) and restart tfgate."));
    }
    const user = checkBasicAuth(req.headers.authorization, deps.credentials);
    if (!user) return sendHtml(res, 401, messagePage("Login required", "Log in with the tfgate UI credentials."), { "www-authenticate": 'Basic realm="tfgate", charset="UTF-8"' });
    try {
      await ui(req, res, url, user);
    } catch (err) {
      if (isStoreError(err, "invalid-input")) return sendHtml(res, 400, messagePage("Bad request", err.message));
      throw err;
    }
  };
}
