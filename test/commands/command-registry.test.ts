import { describe, expect, it } from "vitest";
import { createCommandRegistry, defaultCommands } from "../../src/app/commands/command-registry.js";
import type { CommentCommand } from "../../src/app/commands/comment-command.js";
import { helpText } from "../../src/domain/commands/help-text.js";
import { parseCommands } from "../../src/domain/commands/parse-commands.js";
import { isTfgateError } from "../../src/domain/errors.js";

const command = <N extends string>(name: N, fields: Partial<Omit<CommentCommand, "name">> = {}): CommentCommand<N> => ({
  name,
  usage: `/${name}`,
  help: `Does ${name}.`,
  takesProjects: false,
  access: "writers",
  run: () => Promise.resolve(),
  ...fields,
});

/** The `/help` table's rows as [usage, help]. */
const rows = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) => {
      const m = /^\| `([^`]+)` \| (.*) \|$/.exec(l);
      return [m?.[1], m?.[2]];
    });

describe("the command registry drives the parser and /help", () => {
  it("/help lists exactly the registry's commands, in order, with their usage", () => {
    expect(rows(helpText(defaultCommands.commands))).toEqual(defaultCommands.commands.map((c) => [c.usage, c.help]));
    expect(defaultCommands.commands.map((c) => c.usage)).toEqual(["/plan [project…]", "/apply [project…]", "/unlock [project…]", "/help"]);
    const extended = createCommandRegistry([...defaultCommands.commands, command("ping", { help: "Answers pong." })]);
    expect(rows(helpText(extended.commands)).map(([usage]) => usage)).toEqual(["/plan [project…]", "/apply [project…]", "/unlock [project…]", "/help", "/ping"]);
  });

  it("the default /help is the text it always was", () => {
    expect(helpText(defaultCommands.commands)).toBe(
      [
        "**tfgate commands** (one per line, at the start of the line, outside quotes and code blocks):",
        "",
        "| Command | What it does |",
        "|---|---|",
        "| `/plan [project…]` | Plans the named projects, or every project this pull request affects. |",
        "| `/apply [project…]` | Applies the saved plans of the current head commit, once an SRE approved that commit and every policy passed. |",
        "| `/unlock [project…]` | Releases this pull request's locks on the named projects, or on all of them (needs write access). |",
        "| `/help` | Shows this list. |",
        "",
        "Project names are the names in the summary table.",
        "",
      ].join("\n"),
    );
  });

  it("a registered command is parsed and suggested; an unregistered one is another bot's", () => {
    const extended = createCommandRegistry([...defaultCommands.commands, command("ping"), command("drift", { usage: "/drift [project…]", takesProjects: true })]);
    expect(parseCommands("/ping me\n/Pnig\n/drift b a b\n/drift ../x", extended.commands)).toEqual([
      { kind: "ping", projects: [], line: 1 },
      { kind: "unknown", name: "Pnig", suggestion: "ping", line: 2 },
      { kind: "drift", projects: ["b", "a"], line: 3 },
      { kind: "invalid", command: "drift", token: "../x", message: expect.stringContaining('"../x" is not a project name') as string, line: 4 },
    ]);
    // Without it, /ping is nobody's typo of ours (too far from every registered name).
    expect(parseCommands("/ping", defaultCommands.commands)).toEqual([{ kind: "unknown", name: "ping", suggestion: null, line: 1 }]);
    // And a registry without /plan does not know /plan.
    expect(parseCommands("/plan", [command("ping")])).toEqual([{ kind: "unknown", name: "plan", suggestion: null, line: 1 }]);
  });

  it.each<[string, CommentCommand[]]>([
    ["two commands with one name", [command("ping"), command("ping")]],
    ["a name the parser reserves", [command("unknown")]],
    ["another reserved name", [command("invalid")]],
    ["a name a comment cannot write in lower case", [command("Ping")]],
    ["a name with a space", [command("pi ng")]],
    ["a usage that does not start with the name", [command("ping", { usage: "/pong" })]],
    ["a usage that only starts with the name's letters", [command("ping", { usage: "/pinger" })]],
  ])("refuses %s", (_name, commands) => {
    let error: unknown;
    try {
      createCommandRegistry(commands);
    } catch (err) {
      error = err;
    }
    expect(isTfgateError(error, "invalid-input")).toBe(true);
  });
});
