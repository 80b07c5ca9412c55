import { describe, expect, it } from "vitest";
import { configBranchFor, isProtectedBase } from "../../src/domain/apply/protected-base.js";

describe("protected bases", () => {
  it.each<[string, readonly string[], boolean]>([
    ["main", [], true],
    ["mallory-rules", [], false],
    ["mainline", [], false],
    ["release/1", ["release/*"], true],
    ["release/1/hotfix", ["release/*"], false],
    ["release/1/hotfix", ["release/**"], true],
    ["releases", ["release/*"], false],
    ["stable", ["release/*", "stable"], true],
  ])("%s with %j listed: %s", (base, listed, expected) => {
    expect(isProtectedBase(base, "main", listed)).toBe(expected);
  });

  it("reads configuration from a protected base, else from the default branch", () => {
    expect(configBranchFor("release/2", "main", ["release/*"])).toEqual({ branch: "release/2", protected: true });
    expect(configBranchFor("mallory-rules", "main", ["release/*"])).toEqual({ branch: "main", protected: false });
    expect(configBranchFor("main", "main", [])).toEqual({ branch: "main", protected: true });
  });
});
