import { composeReply } from "../domain/commands/compose-reply.js";
import { isNamedCommand, parseCommands } from "../domain/commands/parse-commands.js";
import { DRIFT_ISSUE_LABEL, readDriftIssueMarker } from "../domain/drift/drift-issue-marker.js";
import { inlineCode } from "../domain/render/inline-code.js";
import type { CheckDriftNowInput, CheckDriftNowResult } from "./check-drift-now.js";
import type { DriftIssues } from "./ports/drift-issues.js";
import type { Logger } from "./ports/logger.js";
import { canWrite, type RepoRef, type Vcs } from "./ports/vcs.js";

export interface DriftIssueCommentDeps {
  readonly vcs: Vcs;
  readonly log: Logger;
  /** Absent: drift checks are not wired (a server without them), and issue comments are ignored. */
  readonly checkDriftNow?: (input: CheckDriftNowInput) => Promise<CheckDriftNowResult>;
  readonly driftIssues?: DriftIssues;
}

/** A new comment on an issue that is not a pull request. */
export interface IssueCommentEvent {
  readonly repo: RepoRef;
  readonly issue: number;
  readonly commentId: number;
  readonly body: string;
  readonly author: string;
  readonly authorIsBot: boolean;
  /** The issue's labels as the event carried them; absent when it did not say. */
  readonly labels?: readonly string[];
}

// On a drift issue the project is the issue's: `/plan` takes no names there (any are ignored).
const PLAN_ON_ISSUE = [{ name: "plan", takesProjects: false }] as const;

/**
 * `/plan` on a drift issue checks its project again at the default branch's head, for people
 * with write access (the rule of `/plan` on a pull request). The one reply says the check is
 * under way and is edited to its result; the issue itself is updated by the drift issue listener
 * when the check finishes. Comments on other issues are ignored.
 */
export async function onDriftIssueComment(deps: DriftIssueCommentDeps, event: IssueCommentEvent): Promise<void> {
  const checkNow = deps.checkDriftNow;
  if (!checkNow || event.authorIsBot) return;
  if (!parseCommands(event.body, PLAN_ON_ISSUE).some(isNamedCommand)) return;
  const project = await driftProjectOf(deps, event.repo, event.issue, event.labels);
  if (project === null) return;
  const { vcs } = deps;
  const permission = await vcs.permission(event.repo, event.author);
  if (!canWrite(permission)) {
    await vcs.react(event.repo, event.commentId, "-1");
    await vcs.createComment(event.repo, event.issue, composeReply(event.author, [`\`/plan\` needs write access to this repository; you have \`${permission}\`. Nothing was run.`], []));
    return;
  }
  await vcs.react(event.repo, event.commentId, "eyes");
  const repo = `${event.repo.owner}/${event.repo.name}`;
  const reply = await vcs.createComment(event.repo, event.issue, composeReply(event.author, [`checking ${inlineCode(project)} now; this issue is updated when the check finishes.`], []));
  let answer: string;
  try {
    answer = describe(project, await checkNow({ repo, projects: [project] }));
  } catch (err) {
    await vcs.updateComment(event.repo, reply, composeReply(event.author, [`❌ the check of ${inlineCode(project)} failed on tfgate's side (the server log has the details).`], []));
    throw err;
  }
  await vcs.updateComment(event.repo, reply, composeReply(event.author, [answer], []));
}

function describe(project: string, result: CheckDriftNowResult): string {
  if (result.status === "refused") return `**the check of ${inlineCode(project)} was refused:** ${result.message}`;
  const mine = result.results.find((r) => r.project === project);
  if (mine === undefined) return `${inlineCode(project)} was not checked.`;
  if (mine.status === "skipped") return `${inlineCode(project)} was not checked again: ${mine.reason}. This issue is updated when that check finishes.`;
  const state = mine.outcome.state === "in-sync" ? "in sync" : mine.outcome.state === "drifted" ? "drifted" : "the check failed";
  return `checked ${inlineCode(project)}: ${state}.`;
}

/** The project a drift issue reports on: the store's record, or the marker of an issue the app opened. */
async function driftProjectOf(deps: DriftIssueCommentDeps, repo: RepoRef, issue: number, labels: readonly string[] | undefined): Promise<string | null> {
  const full = `${repo.owner}/${repo.name}`;
  const known = await deps.driftIssues?.forIssue(full, issue);
  if (known) return known.project;
  // Anyone may comment `/plan` on any issue: without the label, no API call is spent on it.
  if (labels !== undefined && !labels.includes(DRIFT_ISSUE_LABEL)) return null;
  const found = (await deps.vcs.findIssues(repo, DRIFT_ISSUE_LABEL)).find((i) => i.number === issue && i.byApp);
  const marker = found ? readDriftIssueMarker(found.body) : null;
  return marker !== null && marker.repo.toLowerCase() === full.toLowerCase() ? marker.project : null;
}
