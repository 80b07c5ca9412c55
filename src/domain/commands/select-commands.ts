import { isInvalidCommand, isUnknownCommand, type ParsedCommand } from "./parse-commands.js";

/**
 * Commands one comment may run. Each command costs GitHub API calls (and plans or applies cost
 * minutes of a runner), and a comment can hold thousands of lines: without a cap one comment
 * could spend an installation's hourly API budget. Ten covers any real use.
 */
export const MAX_COMMANDS_PER_COMMENT = 10;

export interface CommandSelection<N extends string = string> {
  /** The commands to run, in line order: distinct, at most the cap. */
  readonly run: readonly ParsedCommand<N>[];
  /** Lines that repeat a command already selected (answered once). */
  readonly repeated: number;
  /** Distinct commands past the cap: not run. */
  readonly overCap: number;
}

/** What makes two lines the same command (`/plan b a` repeats `/plan a b`). */
function identity(c: ParsedCommand): string {
  if (isUnknownCommand(c)) return `unknown ${c.name.toLowerCase()}`;
  if (isInvalidCommand(c)) return `invalid ${c.command} ${c.token}`;
  return `${c.kind} ${[...c.projects].sort().join(" ")}`;
}

/**
 * The commands of a comment that tfgate answers: other bots' commands (`/lgtm`, an unknown name
 * with no likely typo of ours) are dropped, repeats are run once, and only the first `max`
 * distinct commands run.
 */
export function selectCommands<N extends string>(parsed: readonly ParsedCommand<N>[], max: number = MAX_COMMANDS_PER_COMMENT): CommandSelection<N> {
  const seen = new Set<string>();
  const run: ParsedCommand<N>[] = [];
  let repeated = 0;
  let overCap = 0;
  for (const command of parsed) {
    if (isUnknownCommand(command) && command.suggestion === null) continue;
    const key = identity(command);
    if (seen.has(key)) {
      repeated++;
      continue;
    }
    seen.add(key);
    if (run.length < max) run.push(command);
    else overCap++;
  }
  return { run, repeated, overCap };
}

/** The note that says what a selection left out, or null when it left nothing out. */
export function selectionNote(selection: CommandSelection, max: number = MAX_COMMANDS_PER_COMMENT): string | null {
  const lines: string[] = [];
  if (selection.overCap > 0) {
    const n = selection.overCap;
    lines.push(`⚠️ At most ${max} commands run per comment: ${n} more command${n === 1 ? " was" : "s were"} not run. Put ${n === 1 ? "it" : "them"} in another comment.`);
  }
  if (selection.repeated > 0) {
    const n = selection.repeated;
    lines.push(`${n} repeated command line${n === 1 ? " was" : "s were"} ignored: each command runs once per comment.`);
  }
  return lines.length > 0 ? lines.join("\n\n") : null;
}
