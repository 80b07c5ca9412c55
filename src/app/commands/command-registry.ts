import { commandNamesProblem } from "../../domain/commands/parse-commands.js";
import { TfgateError } from "../../domain/errors.js";
import { applyCommand } from "./apply-command.js";
import type { CommentCommand } from "./comment-command.js";
import { helpCommand } from "./help-command.js";
import { planCommand } from "./plan-command.js";
import { unlockCommand } from "./unlock-command.js";

/** The commands a comment may give: what the parser knows, `/help` lists and onComment runs. */
export interface CommandRegistry<N extends string = string> {
  /** In the order `/help` lists them. */
  readonly commands: readonly CommentCommand<N>[];
  /** The command named `name` (lower case), if there is one. */
  get(name: string): CommentCommand<N> | undefined;
}

/** Throws when two commands share a name, a name is not one a comment can write, or a usage does not start with its name. */
export function createCommandRegistry<N extends string>(commands: readonly CommentCommand<N>[]): CommandRegistry<N> {
  const problem =
    commandNamesProblem(commands.map((c) => c.name)) ??
    commands.map((c) => (c.usage === `/${c.name}` || c.usage.startsWith(`/${c.name} `) ? null : `the usage of /${c.name} must start with "/${c.name}"`)).find((p) => p !== null) ??
    null;
  if (problem !== null) throw new TfgateError("invalid-input", `command registry: ${problem}`);
  const byName = new Map(commands.map((c) => [c.name as string, c]));
  return { commands: Object.freeze([...commands]), get: (name) => byName.get(name) };
}

/** tfgate's commands, in `/help` order. A new command is its own file and one line here. */
export const defaultCommands = createCommandRegistry([
  planCommand,
  applyCommand,
  unlockCommand,
  helpCommand,
]);
