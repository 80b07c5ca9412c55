import type { AuditRecord } from "../../../app/ports/audit.js";
import type { JobRecord } from "../../../app/ports/jobs.js";
import type { LockRecord } from "../../../app/ports/locks.js";
import { duration, html, page, time, type Html } from "./ui-layout.js";

/** Links to pull requests on GitHub (or GHES): `https://github.com/acme/infra/pull/7`. */
export type PullLink = (repo: string, pr: number) => string;

const stateCell = (state: string) => html`<td class="state-${state}">${state}</td>`;
const shortSha = (sha: string | null) => (sha ? sha.slice(0, 7) : "");

export function runsPage(jobs: readonly JobRecord[], filter: { repo?: string; pr?: number }, pull: PullLink, now: number): string {
  const rows = jobs.map(
    (j) => html`<tr>
<td><a href="/ui/runs/${j.id}">${j.kind} ${j.id.slice(0, 8)}</a></td>
<td><a href="/ui/runs?repo=${encodeURIComponent(j.repo)}">${j.repo}</a></td>
<td><a href="${pull(j.repo, j.pr)}">#${j.pr}</a> <a class="muted" href="/ui/runs?repo=${encodeURIComponent(j.repo)}&amp;pr=${j.pr}">runs</a></td>
<td>${j.project}</td><td><code>${shortSha(j.headSha)}</code></td>${stateCell(j.state)}
<td>${duration(j.startedAt, j.finishedAt ?? (j.state === "running" ? now : null))}</td><td>${j.actor ?? ""}</td><td>${time(j.createdAt)}</td>
</tr>`,
  );
  const scope = filter.repo ? ` for ${filter.repo}${filter.pr ? ` #${filter.pr}` : ""}` : "";
  return page(
    `Recent runs${scope}`,
    html`${filter.repo ? html`<p><a href="/ui/runs">all runs</a></p>` : ""}
<table id="runs"><thead><tr><th>Run</th><th>Repository</th><th>Pull request</th><th>Project</th><th>Commit</th><th>State</th><th>Duration</th><th>By</th><th>Created</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="9" class="muted">No runs yet.</td></tr>`}</tbody></table>`,
  );
}

export function runPage(job: JobRecord, pull: PullLink): string {
  const body: Html = html`<table>
<tr><th>Kind</th><td>${job.kind}</td></tr>
<tr><th>Pull request</th><td><a href="${pull(job.repo, job.pr)}">${job.repo}#${job.pr}</a></td></tr>
<tr><th>Project</th><td>${job.project}</td></tr>
<tr><th>Commit</th><td><code>${job.headSha}</code></td></tr>
<tr><th>State</th><td id="run-state" class="state-${job.state}">${job.state}</td></tr>
<tr><th>Started</th><td>${time(job.startedAt)}</td></tr>
<tr><th>Finished</th><td>${time(job.finishedAt)}</td></tr>
${job.error ? html`<tr><th>Error</th><td>${job.error}</td></tr>` : ""}
</table>
<h2>Log <span id="log-status" class="muted">(connecting…)</span></h2>
<pre id="log" data-events="/ui/runs/${job.id}/events"></pre>
<p><a href="/ui/runs/${job.id}/log">plain text</a></p>`;
  return page(`${job.kind === "apply" ? "Apply" : "Plan"} of ${job.project}`, body, { script: "/ui/static/run-log.js" });
}

/** Follows the run's server-sent events; sensitive values were redacted before they were kept. */
export const RUN_LOG_SCRIPT = `
(() => {
  const log = document.getElementById("log");
  const status = document.getElementById("log-status");
  const source = new EventSource(log.dataset.events);
  source.onopen = () => { status.textContent = "(live)"; };
  source.onmessage = (e) => {
    const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(e.data + "\\n");
    if (stick) log.scrollTop = log.scrollHeight;
  };
  source.addEventListener("end", (e) => {
    status.textContent = "(finished: " + e.data + ")";
    const state = document.getElementById("run-state");
    if (state) { state.textContent = e.data; state.className = "state-" + e.data; }
    source.close();
  });
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) status.textContent = "(disconnected)"; };
})();
`;

export function locksPage(locks: readonly LockRecord[], pull: PullLink, notice: string | null): string {
  const rows = locks.map(
    (l) => html`<tr>
<td>${l.repo}</td><td>${l.project}</td><td><a href="${pull(l.repo, l.pr)}">#${l.pr}</a></td><td>${time(l.acquiredAt)}</td>
<td><a href="/ui/locks/release?repo=${encodeURIComponent(l.repo)}&amp;project=${encodeURIComponent(l.project)}">Release…</a></td>
</tr>`,
  );
  return page(
    "Locks",
    html`${notice ? html`<p id="notice"><strong>${notice}</strong></p>` : ""}
<p class="muted">A project is locked by the first pull request that plans it, until that PR is merged or closed or the lock is released.</p>
<table id="locks"><thead><tr><th>Repository</th><th>Project</th><th>Held by</th><th>Since</th><th></th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="5" class="muted">No locks are held.</td></tr>`}</tbody></table>`,
  );
}

export function confirmReleasePage(lock: LockRecord, pull: PullLink): string {
  return page(
    "Release a lock?",
    html`<p>Release the lock of <strong>${lock.project}</strong> in <strong>${lock.repo}</strong>,
held by <a href="${pull(lock.repo, lock.pr)}">#${lock.pr}</a> since ${time(lock.acquiredAt)}?</p>
<p>Another pull request may then plan and apply the project. #${lock.pr}'s plans stay, but it must plan again to take the lock back. The release is recorded in the audit log.</p>
<form method="post" action="/ui/locks/release">
<input type="hidden" name="repo" value="${lock.repo}">
<input type="hidden" name="project" value="${lock.project}">
<input type="hidden" name="pr" value="${lock.pr}">
<button type="submit" class="danger" id="confirm-release">Release the lock</button>
<a href="/ui/locks">Cancel</a>
</form>`,
  );
}

export function auditPage(records: readonly AuditRecord[], pull: PullLink, limit: number): string {
  const rows = records.map(
    (r) => html`<tr>
<td>${r.id}</td><td>${time(r.at)}</td><td>${r.actor}</td><td>${r.action}</td><td>${r.repo}</td>
<td>${r.pr === null ? "" : html`<a href="${pull(r.repo, r.pr)}">#${r.pr}</a>`}</td><td>${r.project ?? ""}</td>
<td><code>${shortSha(r.headSha)}</code></td><td><code>${r.planSha256 ? r.planSha256.slice(0, 12) : ""}</code></td>
<td>${r.result}</td><td>${r.durationMs === null ? "" : `${Math.round(r.durationMs / 1000)}s`}</td>
<td><code>${r.detail === null || r.detail === undefined ? "" : JSON.stringify(r.detail)}</code></td>
</tr>`,
  );
  const last = records.at(-1);
  return page(
    "Audit log",
    html`<table id="audit"><thead><tr><th>#</th><th>When</th><th>Who</th><th>Action</th><th>Repository</th><th>PR</th><th>Project</th><th>Commit</th><th>Plan sha256</th><th>Result</th><th>Duration</th><th>Detail</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="12" class="muted">Nothing recorded yet.</td></tr>`}</tbody></table>
${last && records.length >= limit ? html`<p><a href="/ui/audit?before=${last.id}">Older entries</a></p>` : ""}`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, html`<p>${message}</p>`);
}
