import { composeReply } from "../domain/commands/compose-reply.js";
import { helpText } from "../domain/commands/help-text.js";
import { parseCommands, type ParsedCommand } from "../domain/commands/parse-commands.js";
import { selectCommands, selectionNote } from "../domain/commands/select-commands.js";
import { PROJECT_NAME_RULE } from "../domain/projects/project-name.js";
import { inlineCode } from "../domain/render/inline-code.js";
import { canWrite, type Permission, type RepoRef } from "./ports/vcs.js";
import { applyPullRequest } from "./apply-pull-request.js";
import { planPullRequest } from "./plan-pull-request.js";
import type { PullRequestDeps } from "./pull-request-deps.js";
import { unlockProjects } from "./unlock-projects.js";

export interface CommentEvent {
  readonly repo: RepoRef;
  readonly pr: number;
  readonly commentId: number;
  readonly body: string;
  readonly author: string;
  /** Bots (this app included) never give commands. */
  readonly authorIsBot: boolean;
}

export type OnCommentDeps = PullRequestDeps;

/**
 * PR comments: `/plan`, `/apply`, `/unlock`, `/help`, only from people with write access (and
 * `/apply` from approver-team members). Whatever the comment holds, it gets one reaction and at
 * most one reply: the permission is read once, before anything else, and every command's answer
 * goes into that one reply, so a long comment cannot turn into a flood of API calls.
 */
export async function onComment(deps: OnCommentDeps, event: CommentEvent): Promise<void> {
  if (event.authorIsBot) return;
  const selection = selectCommands(parseCommands(event.body));
  if (selection.run.length === 0) return;
  const { vcs } = deps;
  const answers: string[] = [];
  const reply = async (text: string) => {
    answers.push(text);
  };

  const permission = await vcs.permission(event.repo, event.author);
  const commands = canWrite(permission) ? selection.run : applyOnly(selection.run);
  if (commands === null) {
    await vcs.react(event.repo, event.commentId, "-1");
    await vcs.createComment(event.repo, event.pr, composeReply(event.author, [`tfgate commands need write access to this repository; you have \`${permission}\`. Nothing was run.`], []));
    return;
  }
  await vcs.react(event.repo, event.commentId, "eyes");

  const note = selectionNote(selection);
  let failure: unknown = null;
  let notRun = 0;
  for (const command of commands) {
    if (failure !== null) {
      notRun++;
      continue;
    }
    try {
      await runCommand(deps, event, permission, command, reply);
    } catch (err) {
      // The answers gathered so far still go out; the error is the server log's (rethrown below).
      failure = err;
      answers.push(`❌ ${inlineCode(`/${command.kind === "unknown" ? command.name : command.kind === "invalid" ? command.command : command.kind}`)} failed on tfgate's side (the server log has the details).`);
    }
  }
  const notes = [...(notRun > 0 ? [`${notRun} later command${notRun === 1 ? " was" : "s were"} not run after that failure.`] : []), ...(note ? [note] : [])];
  if (answers.length > 0 || notes.length > 0) await vcs.createComment(event.repo, event.pr, composeReply(event.author, answers, notes));
  if (failure !== null) throw failure;
}

/**
 * A commenter without write access may only ask for `/apply`, which the gate allows to
 * approver-team members. Their `/apply` lines become one (the union of the projects named, or
 * every project if one line names none), so the gate is consulted once whatever the comment
 * holds. Null when the comment asks for anything else.
 */
function applyOnly(commands: readonly ParsedCommand[]): ParsedCommand[] | null {
  const projects: string[][] = [];
  for (const c of commands) {
    if (c.kind !== "apply") return null;
    projects.push([...c.projects]);
  }
  const first = commands[0];
  if (first === undefined) return null;
  const everything = projects.some((p) => p.length === 0);
  return [{ kind: "apply", projects: everything ? [] : [...new Set(projects.flat())], line: first.line }];
}

async function runCommand(deps: OnCommentDeps, event: CommentEvent, permission: Permission, command: ParsedCommand, reply: (text: string) => Promise<void>): Promise<void> {
  switch (command.kind) {
    case "help":
      return reply(helpText());
    case "unknown":
      // `/lgtm`, `/cc`… belong to other bots: only what looks like a typo of ours gets here.
      return reply(`${inlineCode(`/${command.name}`)} is not a tfgate command (did you mean \`/${command.suggestion ?? "help"}\`?).\n\n${helpText()}`);
    case "invalid":
      return reply(`${inlineCode(command.token)} is not a project name (${PROJECT_NAME_RULE}); nothing was run for \`/${command.command}\`.`);
    case "apply":
      return applyPullRequest(deps, { repo: event.repo, pr: event.pr, actor: event.author, permission, projects: command.projects, reply });
    case "unlock":
      return reply(await unlockProjects(deps, event.repo, event.pr, command.projects, event.author));
    case "plan": {
      const pr = await deps.vcs.changeRequest(event.repo, event.pr);
      if (pr.state !== "open") return reply("this pull request is closed; nothing was planned.");
      // A writer's /plan also runs fork PRs and drafts: they read the code they ask to run.
      return planPullRequest(deps, event.repo, pr, { only: command.projects, actor: event.author, reply });
    }
  }
}
