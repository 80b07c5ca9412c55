import { composeReply } from "../domain/commands/compose-reply.js";
import { helpText } from "../domain/commands/help-text.js";
import { isInvalidCommand, isNamedCommand, isUnknownCommand, parseCommands, writtenName, type NamedCommand, type ParsedCommand } from "../domain/commands/parse-commands.js";
import { selectCommands, selectionNote } from "../domain/commands/select-commands.js";
import { PROJECT_NAME_RULE } from "../domain/projects/project-name.js";
import { inlineCode } from "../domain/render/inline-code.js";
import { canWrite, type Permission } from "./ports/vcs.js";
import type { CommentEvent, Reply } from "./commands/comment-command.js";
import { defaultCommands, type CommandRegistry } from "./commands/command-registry.js";
import type { CommandDeps } from "./webhook-deps.js";

/**
 * PR comments: the commands of `registry` (`/plan`, `/apply`, `/unlock`, `/help`), only from
 * people with write access (and the commands open to approvers, `/apply`, from readers). Whatever
 * the comment holds, it gets one reaction and at most one reply: the permission is read once,
 * before anything else, and every command's answer goes into that one reply, so a long comment
 * cannot turn into a flood of API calls.
 */
export async function onComment(deps: CommandDeps, event: CommentEvent, registry: CommandRegistry = defaultCommands): Promise<void> {
  if (event.authorIsBot) return;
  const selection = selectCommands(parseCommands(event.body, registry.commands));
  if (selection.run.length === 0) return;
  const { vcs } = deps;
  const answers: string[] = [];
  const reply = async (text: string) => {
    answers.push(text);
  };

  const permission = await vcs.permission(event.repo, event.author);
  const commands = canWrite(permission) ? selection.run : readerCommands(selection.run, registry);
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
      await runCommand(deps, event, permission, command, registry, reply);
    } catch (err) {
      // The answers gathered so far still go out; the error is the server log's (rethrown below).
      failure = err;
      answers.push(`❌ ${inlineCode(`/${writtenName(command)}`)} failed on tfgate's side (the server log has the details).`);
    }
  }
  const notes = [...(notRun > 0 ? [`${notRun} later command${notRun === 1 ? " was" : "s were"} not run after that failure.`] : []), ...(note ? [note] : [])];
  if (answers.length > 0 || notes.length > 0) await vcs.createComment(event.repo, event.pr, composeReply(event.author, answers, notes));
  if (failure !== null) throw failure;
}

/**
 * A commenter without write access may only run the commands open to approvers (`/apply`, which
 * the gate allows to approver-team members). Their lines of one such command become one (the
 * union of the projects named, or every project if one line names none), so the gate is consulted
 * once whatever the comment holds. Null when the comment asks for anything else.
 */
function readerCommands(commands: readonly ParsedCommand[], registry: CommandRegistry): NamedCommand[] | null {
  const byName = new Map<string, { projects: string[][]; line: number }>();
  for (const c of commands) {
    if (!isNamedCommand(c) || registry.get(c.kind)?.access !== "writers-and-approvers") return null;
    const lines = byName.get(c.kind) ?? { projects: [], line: c.line };
    lines.projects.push([...c.projects]);
    byName.set(c.kind, lines);
  }
  if (byName.size === 0) return null;
  return [...byName].map(([kind, { projects, line }]) => ({ kind, projects: projects.some((p) => p.length === 0) ? [] : [...new Set(projects.flat())], line }));
}

function runCommand(deps: CommandDeps, event: CommentEvent, permission: Permission, parsed: ParsedCommand, registry: CommandRegistry, reply: Reply): Promise<void> {
  // `/lgtm`, `/cc`… belong to other bots: only what looks like a typo of ours gets here.
  if (isUnknownCommand(parsed)) {
    const guess = parsed.suggestion === null ? "" : ` (did you mean \`/${parsed.suggestion}\`?)`;
    return reply(`${inlineCode(`/${parsed.name}`)} is not a tfgate command${guess}.\n\n${helpText(registry.commands)}`);
  }
  if (isInvalidCommand(parsed)) return reply(`${inlineCode(parsed.token)} is not a project name (${PROJECT_NAME_RULE}); nothing was run for \`/${parsed.command}\`.`);
  const command = registry.get(parsed.kind);
  // The parser was given this registry's names: a name it does not hold is a bug here.
  if (command === undefined) throw new Error(`/${parsed.kind} was parsed but is not in the command registry`);
  return command.run(deps, event, { projects: parsed.projects, permission, commands: registry.commands }, reply);
}
