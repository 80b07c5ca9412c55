import { helpText } from "../../domain/commands/help-text.js";
import type { CommentCommand } from "./comment-command.js";

export const helpCommand: CommentCommand<"help"> = {
  name: "help",
  usage: "/help",
  help: "Shows this list.",
  takesProjects: false,
  access: "writers",
  run(_deps, _event, { commands }, reply) {
    return reply(helpText(commands));
  },
};
