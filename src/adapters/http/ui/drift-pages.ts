import type { DriftCheckRecord } from "../../../app/ports/drift-results.js";
import type { PlanCounts } from "../../../domain/plan/plan-outcome.js";
import type { PolicyResult } from "../../../domain/policy/policy-result.js";
import { html, page, time, type Html } from "./ui-layout.js";
import type { PullLink } from "./ui-pages.js";

/** What the drift pages show besides the records. */
export interface DriftPageContext {
  /** False with TFGATE_DRIFT=false: no checks run, and no "Check now" is offered. */
  readonly enabled: boolean;
  /** Checks asked for from this server that have not ended yet, by `driftKey`. */
  readonly queued: ReadonlySet<string>;
  readonly notice: string | null;
  readonly pull: PullLink;
}

export interface DriftRepoView {
  readonly repo: string;
  /** The newest check of each project that has one. */
  readonly latest: readonly DriftCheckRecord[];
}

/** A queued check's key: one project, or (project null) all of a repository's. */
export const driftKey = (repo: string, project: string | null): string => `${repo}\n${project ?? "*"}`;

export const DRIFT_OFF = "drift checks are turned off on this server (TFGATE_DRIFT=false)";

const countsText = (c: PlanCounts) => `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace > 0 ? `, ${c.replace} to replace` : ""}`;
const q = encodeURIComponent;
export const historyHref = (repo: string, project: string) => `/ui/drift/history?repo=${q(repo)}&project=${q(project)}`;

/** Policies on a drifted plan, when they did not simply pass. */
function policyText(p: PolicyResult | null): string {
  if (p === null) return "";
  if (p.status === "error") return "; policy error";
  const warnings = p.warnings.length > 0 ? `, ${p.warnings.length} warning(s)` : "";
  return p.status === "failed" ? `; policy failed: ${p.violations.length} violation(s)${warnings}` : warnings ? `; policy passed${warnings}` : "";
}

/** The findings of a drifted check's policies, for its history row. */
function findingsList(p: PolicyResult | null): Html | string {
  if (p === null || (p.status === "passed" && p.warnings.length === 0)) return "";
  const items =
    p.status === "error"
      ? p.errors.map((e) => html`<li>error: <code>${e.file}</code> ${e.message}</li>`)
      : [...(p.status === "failed" ? p.violations.map((v) => ({ v, level: "violation" })) : []), ...p.warnings.map((v) => ({ v, level: "warning" }))].map(
          ({ v, level }) => html`<li>${level} <code>${v.rule}</code> on <code>${v.address || "the whole plan"}</code>: ${v.message}</li>`,
        );
  return html`<ul class="drift-policy">${items}</ul>`;
}

/** The check's state in words: what an operator scans the page for. */
export function driftStateText(r: DriftCheckRecord): string {
  switch (r.state) {
    case "started":
      return "running";
    case "in-sync":
      return "in sync";
    case "drifted":
      return `${r.counts ? `drifted: ${countsText(r.counts)}` : "drifted"}${policyText(r.policy)}`;
    case "error":
      return "error";
  }
}

function stateCell(r: DriftCheckRecord, full: boolean): Html {
  const label = html`<span class="drift-${r.state}">${driftStateText(r)}</span>`;
  if (r.state === "error" && r.error) {
    // The whole message on the history page; its first line here, the rest one click away.
    const first = r.error.split("\n", 1)[0] ?? "";
    return html`<td>${label}: ${full ? html`<pre>${r.error}</pre>` : html`<details><summary>${first}</summary><pre>${r.error}</pre></details>`}</td>`;
  }
  return html`<td>${label}</td>`;
}

const lockCell = (r: DriftCheckRecord, pull: PullLink) => html`<td>${r.lockedBy === null ? html`<span class="muted">none</span>` : html`<a href="${pull(r.repo, r.lockedBy)}">#${r.lockedBy}</a>`}</td>`;

/** The "Check now" button: a same-origin POST, like the lock release (see sameOrigin). */
function checkForm(repo: string, project: string | null, label: string, ctx: DriftPageContext): Html {
  if (!ctx.enabled) return html``;
  if (ctx.queued.has(driftKey(repo, project)) || ctx.queued.has(driftKey(repo, null))) return html`<span class="muted">check queued</span>`;
  return html`<form method="post" action="/ui/drift/check" class="inline">
<input type="hidden" name="repo" value="${repo}">${project === null ? "" : html`<input type="hidden" name="project" value="${project}">`}
<button type="submit" class="check-now">${label}</button>
</form>`;
}

function noticeAndMode(ctx: DriftPageContext): Html {
  return html`${ctx.notice ? html`<p id="notice"><strong>${ctx.notice}</strong></p>` : ""}
${ctx.enabled ? "" : html`<p id="drift-off"><strong>No new checks run: ${DRIFT_OFF}.</strong></p>`}`;
}

/** `/ui/drift`: per repository, each project's newest check, with "Check now". */
export function driftPage(repos: readonly DriftRepoView[], ctx: DriftPageContext): string {
  const sections = repos.map(({ repo, latest }) => {
    const rows = latest.map(
      (r) => html`<tr data-project="${r.project}">
<td><a href="${historyHref(r.repo, r.project)}">${r.project}</a></td>${stateCell(r, false)}
<td><code>${r.sha.slice(0, 12)}</code></td><td>${time(r.checkedAt ?? r.startedAt)}</td>${lockCell(r, ctx.pull)}
<td>${checkForm(r.repo, r.project, "Check now", ctx)}</td>
</tr>`,
    );
    return html`<section class="drift-repo" data-repo="${repo}">
<h2>${repo} ${checkForm(repo, null, "Check all projects now", ctx)}</h2>
<table><thead><tr><th>Project</th><th>State</th><th>Default branch at</th><th>Checked</th><th>Lock held by</th><th></th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="6" class="muted">No drift check of ${repo} yet.</td></tr>`}</tbody></table>
</section>`;
  });
  const empty = ctx.enabled ? "No drift checks yet: a repository is checked on schedule once tfgate has seen a pull request of it." : "No drift checks yet.";
  return page(
    "Drift",
    html`${noticeAndMode(ctx)}
<p class="muted">Each project's default branch is planned read-only against the real infrastructure: "drifted" means the infrastructure no longer matches the merged code.</p>
${sections.length > 0 ? sections : html`<p id="drift-empty" class="muted">${empty}</p>`}`,
  );
}

/** `/ui/drift/history`: a project's last checks, newest first, each drifted one with its plan. */
export function driftHistoryPage(repo: string, project: string, checks: readonly DriftCheckRecord[], ctx: DriftPageContext): string {
  const rows = checks.map(
    (r) => html`<tr data-check="${r.id}">
<td>${r.id}</td>${stateCell(r, true)}<td><code>${r.sha.slice(0, 12)}</code></td>
<td>${time(r.startedAt)}</td><td>${time(r.checkedAt)}</td>${lockCell(r, ctx.pull)}
<td>${r.resumes > 0 ? `resumed ${r.resumes}×` : ""}</td>
</tr>${r.state === "drifted" && (r.diff || r.policy) ? html`<tr class="drift-diff"><td colspan="7">${findingsList(r.policy)}${r.diff ? html`<details><summary>Plan of check ${r.id}</summary><pre>${r.diff}</pre></details>` : ""}</td></tr>` : ""}`,
  );
  return page(
    `Drift of ${project}`,
    html`${noticeAndMode(ctx)}
<div><a href="/ui/drift">All projects</a> · ${repo} ${checkForm(repo, project, "Check now", ctx)}</div>
<table id="drift-history"><thead><tr><th>#</th><th>State</th><th>Default branch at</th><th>Started</th><th>Finished</th><th>Lock held by</th><th></th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="7" class="muted">No drift check of ${project} yet.</td></tr>`}</tbody></table>`,
  );
}
