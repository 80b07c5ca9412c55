import { describe, expect, it } from "vitest";
import { parseRawDiff } from "../../src/adapters/git/parse-raw-diff.js";

const Z = "0".repeat(40);
const A = "a".repeat(40);
const B = "b".repeat(40);

describe("parseRawDiff (git diff --raw -z)", () => {
  it("reads every kind of change, with both paths of a rename and whether the path is a link at head", () => {
    const out = [
      `:000000 100644 ${Z} ${A} A`, "projects/a/new.tf",
      `:100644 100644 ${A} ${B} M`, "projects/a/main.tf",
      `:100644 000000 ${A} ${Z} D`, "projects/b/gone.tf",
      `:100644 100644 ${A} ${A} R100`, "projects/a/old.tf", "projects/c/moved.tf",
      `:100644 100644 ${A} ${B} C075`, "modules/x/main.tf", "modules/y/main.tf",
      `:100644 120000 ${A} ${B} T`, "projects/d/main.tf",
      `:120000 100644 ${A} ${B} T`, "projects/e/main.tf",
      `:000000 120000 ${Z} ${A} A`, "projects/f/link.tf",
      "",
    ].join("\0");
    expect(parseRawDiff(out)).toEqual([
      { status: "added", path: "projects/a/new.tf", link: false },
      { status: "modified", path: "projects/a/main.tf", link: false },
      { status: "deleted", path: "projects/b/gone.tf", link: false },
      { status: "renamed", from: "projects/a/old.tf", path: "projects/c/moved.tf", link: false },
      { status: "added", path: "modules/y/main.tf", link: false },
      { status: "type-changed", path: "projects/d/main.tf", link: true },
      { status: "type-changed", path: "projects/e/main.tf", link: false },
      { status: "added", path: "projects/f/link.tf", link: true },
    ]);
    expect(parseRawDiff("")).toEqual([]);
  });

  it("keeps paths with spaces, tabs and non-ASCII names as they are", () => {
    expect(parseRawDiff(`:100644 100644 ${A} ${B} M\0projects/a b/ä\tx.tf\0`)).toEqual([{ status: "modified", path: "projects/a b/ä\tx.tf", link: false }]);
  });
});
