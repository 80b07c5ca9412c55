import type { CommandSyntax } from "../../domain/commands/parse-commands.js";
import type { HelpEntry } from "../../domain/commands/help-text.js";
import type { Permission, RepoRef } from "../ports/vcs.js";
import type { CommandDeps } from "../webhook-deps.js";

/** A comment on a pull request, as the issue_comment event gives it. */
export interface CommentEvent {
  readonly repo: RepoRef;
  readonly pr: number;
  readonly commentId: number;
  readonly body: string;
  readonly author: string;
  /** Bots (this app included) never give commands. */
  readonly authorIsBot: boolean;
}

/** Adds to the one reply to the comment (posted once every command of it has run). */
export type Reply = (text: string) => Promise<void>;

export interface CommandArgs {
  /** The projects named; none means every project (always none for a command that takes none). */
  readonly projects: readonly string[];
  /** The author's permission, read once when the comment arrived (not again per command). */
  readonly permission: Permission;
  /** Every command of the registry this one was run from, in order (`/help` lists them). */
  readonly commands: readonly CommentCommand[];
}

/**
 * One comment command, in its own file under app/commands/ and listed once in
 * command-registry.ts: the parser, typo suggestions, the `/help` table and dispatch all read it.
 */
export interface CommentCommand<N extends string = string> extends CommandSyntax<N>, HelpEntry {
  /** Without the slash, lower case: `plan`. */
  readonly name: N;
  /** The `/help` table's first cell: `/plan [project…]`. */
  readonly usage: string;
  /** The `/help` table's second cell. */
  readonly help: string;
  /**
   * Who may run it. "writers": people with write access. "writers-and-approvers": readers too, and
   * the command judges them itself (`/apply`: the apply gate admits approver-team members). A
   * reader's lines of such a command run once, with the projects of all of them.
   */
  readonly access: "writers" | "writers-and-approvers";
  run(deps: CommandDeps, event: CommentEvent, args: CommandArgs, reply: Reply): Promise<void>;
}
