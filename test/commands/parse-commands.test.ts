import { describe, expect, it } from "vitest";
import { projectConfigSchema } from "../../src/config/repo-config.js";
import { PROJECT_NAME_RULE } from "../../src/domain/projects/project-name.js";
import { PROJECT_NAME, type ParsedCommand } from "../../src/domain/commands/parse-commands.js";
import { helpText, parseCommands } from "./default-commands.js";

const plan = (line: number, ...projects: string[]): ParsedCommand => ({ kind: "plan", projects, line });
const apply = (line: number, ...projects: string[]): ParsedCommand => ({ kind: "apply", projects, line });

describe("parseCommands", () => {
  const cases: [string, string, ParsedCommand[]][] = [
    ["a bare command", "/plan", [plan(1)]],
    ["projects", "/plan kirare ortensia", [plan(1, "kirare", "ortensia")]],
    ["duplicates collapse, order kept", "/apply b a b", [apply(1, "b", "a")]],
    ["unlock and help", "/unlock kirare\n/help", [{ kind: "unlock", projects: ["kirare"], line: 1 }, { kind: "help", projects: [], line: 2 }]],
    ["help ignores arguments", "/help me", [{ kind: "help", projects: [], line: 1 }]],
    ["up to 3 leading spaces", "   /plan x", [plan(1, "x")]],
    ["trailing spaces and CRLF", "thanks!\r\n/plan x  \r\n", [plan(2, "x")]],
    ["tabs between arguments", "/plan\ta\t b", [plan(1, "a", "b")]],
    ["case-insensitive command name", "/Plan Kirare", [plan(1, "Kirare")]],
    ["several commands in one comment", "LGTM\n\n/plan a\nsome text\n/apply a", [plan(3, "a"), apply(5, "a")]],
    ["a command after a paragraph line", "Looks good, please\n/apply", [apply(2)]],
    ["mid-sentence mention is text", "please run /plan kirare", []],
    ["inline code is text", "run `/plan` again", []],
    ["a path is not a command", "/etc/hosts is broken", []],
    ["punctuation after the name is not a command", "/plan.", []],
    ["an escaped slash is text", "\\/plan", []],
    ["list items are not commands", "- /plan\n1. /apply", []],
    ["headings are not commands", "# /plan", []],
    ["4 spaces make an indented code block", "    /apply", []],
    ["a tab makes an indented code block", "\t/apply", []],
    ["an indented continuation line is not a command", "text\n    /apply", []],
    ["backtick fence", "```\n/apply\n```\n/plan", [plan(4)]],
    ["tilde fence", "~~~hcl\n/apply\n~~~\n/plan", [plan(4)]],
    ["longer closing fence needed", "````\n```\n/apply\n````\n/plan", [plan(5)]],
    ["a shorter run does not close", "````\n/apply\n```\n/apply", []],
    ["tilde does not close backticks", "```\n~~~\n/apply", []],
    ["an unclosed fence runs to the end", "```\n/apply\n\n/plan", []],
    ["indented fence", "  ```\n  /apply\n  ```\n/plan", [plan(4)]],
    ["fence in a list item hides the item's lines", "- step\n  ```sh\n  /apply\n  ```\n/plan", [plan(5)]],
    ["fence right after a list marker", "- ```\n  /apply\n  ```\n/plan", [plan(4)]],
    ["a fence line left of a list fence may open a new fence", "- ```\n  x\n```\n/apply\n", []],
    ["a closing fence indented 4 does not close a top-level fence", "```\n    ```\n/apply", []],
    ["```x``` on one line is a code span, not a fence", "```x```\n/plan", [plan(2)]],
    ["blockquote", "> /apply\n\n/plan", [plan(3)]],
    ["indented blockquote", "  > /apply", []],
    ["lazy continuation of a quote", "> quoted text\n/apply\n\n/plan", [plan(4)]],
    ["fence opened on a lazy line", "> a\n```\n\n/apply\n```\n\n/plan", [plan(7)]],
    ["a fence ends a quote", "> q\n```\n\n```\n/plan", [plan(5)]],
    ["an inline comment on a lazy line does not end the quote", "> q\ntext <!-- c -->\n/apply", []],
    ["HTML comment", "<!--\n/apply\n-->\n/plan", [plan(4)]],
    ["one-line HTML comment", "<!-- /apply -->\n/plan", [plan(2)]],
    ["a command sharing a line with a comment is ignored", "<!-- x --> /apply", []],
    ["fence markers inside a comment are ignored", "<!--\n```\n-->\n/plan", [plan(4)]],
    ["comment markers inside a fence are ignored", "```\n<!--\n```\n/plan", [plan(4)]],
    ["unclosed comment hides the rest", "<!--\n/apply", []],
    ["pre element", "<pre>\n/apply\n</pre>\n/plan", [plan(4)]],
    ["code element", "<code>\n/apply\n</code>", []],
    ["a raw element closed on its line hides only that line", "<code>x</code> /apply\n/plan", [plan(2)]],
    ["textarea element", "<textarea>\n/apply\n</textarea>", []],
    ["inside <details> is ordinary text", "<details>\n<summary>x</summary>\n\n/plan\n\n</details>", [plan(4)]],
    ["a table row is not a command", "| /plan | x |", []],
    // Conservative on purpose: a comment opener is not told apart from one shown in a code span.
    ["a comment opener in a code span still hides what follows", "type `<!--` to hide text\n/apply", []],
    ["code span across lines", "see `\n/apply\n` above\n\n/plan", [plan(5)]],
    ["unclosed backtick is literal", "a ` b\n/plan", [plan(2)]],
    ["escaped backtick does not open a span", "a \\` b\n/plan\n`", [plan(2)]],
    ["escaped backtick before a real span", "\\``` x\n/apply\n``", []],
    ["unknown command with a suggestion", "/aply kirare", [{ kind: "unknown", name: "aply", suggestion: "apply", line: 1 }]],
    ["unknown command with a swap", "/palN", [{ kind: "unknown", name: "palN", suggestion: "plan", line: 1 }]],
    ["unknown command without a suggestion", "/lgtm", [{ kind: "unknown", name: "lgtm", suggestion: null, line: 1 }]],
    ["too short to guess", "/pl", [{ kind: "unknown", name: "pl", suggestion: null, line: 1 }]],
    [
      "invalid project name",
      "/plan kirare ../etc",
      [{ kind: "invalid", command: "plan", token: "../etc", message: `"../etc" is not a project name: ${PROJECT_NAME_RULE}`, line: 1 }],
    ],
    [
      "a mention is not a project",
      "/apply @octocat",
      [{ kind: "invalid", command: "apply", token: "@octocat", message: `"@octocat" is not a project name: ${PROJECT_NAME_RULE}`, line: 1 }],
    ],
    ["empty body", "", []],
  ];

  it.each(cases)("%s", (_name, body, expected) => {
    expect(parseCommands(body)).toEqual(expected);
  });

  it("shortens a long invalid token in the message, keeps it whole in the token", () => {
    const token = `x/${"a".repeat(200)}`;
    const [cmd] = parseCommands(`/unlock ${token}`);
    expect(cmd).toMatchObject({ kind: "invalid", token });
    expect(cmd?.kind === "invalid" && cmd.message.length).toBeLessThan(110 + PROJECT_NAME_RULE.length);
  });

  it("parses a comment of GitHub's maximum size full of backtick runs", () => {
    // Code spans across every line; the test timeout bounds the scan.
    const lines = Array.from({ length: 1700 }, (_, i) => `x ${"`".repeat((i % 60) + 1)} y`);
    expect(lines.join("\n").length).toBeLessThan(65_536);
    expect(parseCommands(`${lines.join("\n")}\n\n/plan`)).toEqual([plan(1702)]);
  });
});

describe("PROJECT_NAME", () => {
  it("accepts exactly the names tfgate.yaml accepts", () => {
    const samples = ["kirare", "stella-maris", "a.b_c-1", "0x", "A", "-x", ".x", "_x", "a/b", "a b", "", "ä", "x@y", "a:b", "a\nb", "x".repeat(200), "x".repeat(201), "<img src=x onerror=alert(1)>"];
    for (const s of samples) {
      expect(PROJECT_NAME.test(s), s).toBe(projectConfigSchema.shape.name.safeParse(s).success);
    }
  });
});

describe("helpText", () => {
  it("lists every command and none of its lines is itself a command", () => {
    const text = helpText();
    for (const c of ["/plan", "/apply", "/unlock", "/help"]) expect(text).toContain(`\`${c}`);
    expect(parseCommands(text)).toEqual([]);
  });
});
