import { helpText } from "../domain/commands/help-text.js";
import { parseCommands } from "../domain/commands/parse-commands.js";
import { inlineCode } from "../domain/render/inline-code.js";
import { canWrite, type GitHub, type RepoRef } from "./github-port.js";
import type { ApplyCommand } from "./apply-pull-request.js";
import type { PullRequestRuns } from "./pull-request-runs.js";

export interface CommentEvent {
  readonly repo: RepoRef;
  readonly pr: number;
  readonly commentId: number;
  readonly body: string;
  readonly author: string;
  /** Bots (this app included) never give commands. */
  readonly authorIsBot: boolean;
}

/** PR comments: `/plan`, `/apply`, `/unlock`, `/help`, only from people with write access. */
export async function onComment(
  deps: { github: GitHub; runs: PullRequestRuns; apply: (cmd: ApplyCommand) => Promise<void> },
  event: CommentEvent,
): Promise<void> {
  if (event.authorIsBot) return;
  // Commands of other bots (`/lgtm`) are not ours: no reaction, no refusal, no reply.
  const commands = parseCommands(event.body).filter((c) => c.kind !== "unknown" || c.suggestion !== null);
  if (commands.length === 0) return;
  const { github, runs } = deps;
  const reply = async (text: string) => {
    await github.createComment(event.repo, event.pr, `@${event.author} ${text}`);
  };

  // /apply also accepts approver-team members without write access: the gate checks that itself.
  const permission = await github.permission(event.repo, event.author);
  if (!canWrite(permission) && !commands.every((c) => c.kind === "apply")) {
    await github.react(event.repo, event.commentId, "-1");
    await reply(`tfgate commands need write access to this repository; you have \`${permission}\`. Nothing was run.`);
    return;
  }
  await github.react(event.repo, event.commentId, "eyes");

  for (const command of commands) {
    switch (command.kind) {
      case "help":
        await reply(helpText());
        break;
      case "unknown":
        // `/lgtm`, `/cc`… belong to other bots: answer only what looks like a typo of ours.
        if (command.suggestion) await reply(`${inlineCode(`/${command.name}`)} is not a tfgate command (did you mean \`/${command.suggestion}\`?).\n\n${helpText()}`);
        break;
      case "invalid":
        await reply(`${inlineCode(command.token)} is not a project name (${"letters, digits, '.', '_' and '-'"}); nothing was run for \`/${command.command}\`.`);
        break;
      case "apply":
        await deps.apply({ repo: event.repo, pr: event.pr, actor: event.author, projects: command.projects, reply });
        break;
      case "unlock":
        await reply(await runs.unlock(event.repo, event.pr, command.projects, event.author));
        break;
      case "plan": {
        const pr = await github.pullRequest(event.repo, event.pr);
        if (pr.state !== "open") {
          await reply("this pull request is closed; nothing was planned.");
          break;
        }
        // A writer's /plan also runs fork PRs and drafts: they read the code they ask to run.
        await runs.plan(event.repo, pr, { only: command.projects, actor: event.author, reply });
        break;
      }
    }
  }
}
