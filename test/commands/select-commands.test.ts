import { describe, expect, it } from "vitest";
import { parseCommands } from "./default-commands.js";
import { MAX_COMMANDS_PER_COMMENT, selectCommands, selectionNote } from "../../src/domain/commands/select-commands.js";

const select = (body: string, max?: number) => {
  const s = selectCommands(parseCommands(body), max);
  return { run: s.run.map((c) => `${c.line}:${c.kind}${"projects" in c && c.projects.length > 0 ? ` ${c.projects.join(" ")}` : ""}`), repeated: s.repeated, overCap: s.overCap };
};

describe("selectCommands", () => {
  it.each<[string, string, ReturnType<typeof select>]>([
    ["one command", "/plan", { run: ["1:plan"], repeated: 0, overCap: 0 }],
    ["other bots' commands are not ours", "/lgtm\n/cc @x\n/plan", { run: ["3:plan"], repeated: 0, overCap: 0 }],
    ["a likely typo of ours is answered", "/aply", { run: ["1:unknown"], repeated: 0, overCap: 0 }],
    ["40 identical lines run once", "/apply\n".repeat(40), { run: ["1:apply"], repeated: 39, overCap: 0 }],
    ["the same projects in another order repeat a command", "/plan a b\n/plan b a\n/Plan a b", { run: ["1:plan a b"], repeated: 2, overCap: 0 }],
    ["different projects are different commands", "/plan a\n/plan b", { run: ["1:plan a", "2:plan b"], repeated: 0, overCap: 0 }],
    ["the cap counts distinct commands", "/unlock a\n/unlock a\n/unlock b\n/unlock c\n/unlock d", { run: ["1:unlock a", "3:unlock b"], repeated: 1, overCap: 2 }],
  ])("%s", (_name, body, expected) => {
    const max = _name === "the cap counts distinct commands" ? 2 : undefined;
    expect(select(body, max)).toEqual(expected);
  });

  it("runs at most MAX_COMMANDS_PER_COMMENT of a huge comment", () => {
    const body = Array.from({ length: 5000 }, (_, i) => `/unlock p${i}`).join("\n");
    const s = selectCommands(parseCommands(body));
    expect(s.run).toHaveLength(MAX_COMMANDS_PER_COMMENT);
    expect(s.overCap).toBe(5000 - MAX_COMMANDS_PER_COMMENT);
  });
});

describe("selectionNote", () => {
  it("says nothing when nothing was left out", () => {
    expect(selectionNote({ run: [], repeated: 0, overCap: 0 })).toBeNull();
  });
  it("gives counts, not one line per command", () => {
    const note = selectionNote({ run: [], repeated: 3, overCap: 30 }) ?? "";
    expect(note).toContain(`At most ${MAX_COMMANDS_PER_COMMENT} commands run per comment: 30 more commands were not run`);
    expect(note).toContain("3 repeated command lines were ignored");
    expect(note.split("\n").length).toBeLessThanOrEqual(3);
  });
  it("singular", () => {
    expect(selectionNote({ run: [], repeated: 1, overCap: 1 })).toContain("1 more command was not run. Put it in another comment.");
  });
});
