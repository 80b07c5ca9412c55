import { describe, expect, it } from "vitest";
import { joinInsideRepo } from "../../src/domain/paths.js";

describe("joinInsideRepo", () => {
  it.each<[string, string, string | null]>([
    ["projects/a", "../../modules/x", "modules/x"],
    ["projects/a", "./sub", "projects/a/sub"],
    ["", ".", ""],
    ["", "..", null],
    ["projects/a", "../../..", null],
    ["a", "b//c/./d/", "a/b/c/d"],
    ["a/b", "../../", ""],
    ["a", "../b/../c", "c"],
    ["", "x/..", ""],
    ["a", "..//..", null],
    ["modules/net", "../labels", "modules/labels"],
  ])("%s + %s → %s", (dir, relative, expected) => {
    expect(joinInsideRepo(dir, relative)).toBe(expected);
  });
});
