import { afterAll, describe, expect, it } from "vitest";
import { createRemoteBranches } from "../../src/adapters/git/remote-branches.js";
import { createTestRepo } from "../helpers/git-repo.js";

describe("remote branches (git ls-remote, real git)", () => {
  const repo = createTestRepo();
  afterAll(() => repo.cleanup());
  const branches = createRemoteBranches({ gitEnv: process.env });
  const source = `file://${repo.dir}`;

  it("reads a branch's head as the remote has it now", async () => {
    const first = repo.commit("one");
    expect(await branches.head(source, "main", {})).toBe(first);
    const second = repo.commit("two");
    expect(await branches.head(source, "main")).toBe(second);
    repo.git("branch", "release/1", first);
    expect(await branches.head(source, "release/1")).toBe(first);
  });

  it("answers null for a branch the remote does not have, even one whose name ends another's", async () => {
    repo.git("branch", "team/main");
    expect(await branches.head(source, "nope")).toBeNull();
    expect(await branches.head(source, "1")).toBeNull();
  });

  it("names the default branch: the one the remote's HEAD points at", async () => {
    expect(await branches.defaultBranch(source)).toBe("main");
    repo.git("symbolic-ref", "HEAD", "refs/heads/release/1");
    try {
      expect(await branches.defaultBranch(source)).toBe("release/1");
    } finally {
      repo.git("symbolic-ref", "HEAD", "refs/heads/main");
    }
  });

  it("refuses a name git would read as an option or a pattern", async () => {
    for (const bad of ["--upload-pack=touch /tmp/x", "a..b", "a b", "x*", "", "a\u0001b"]) {
      await expect(branches.head(source, bad)).rejects.toMatchObject({ code: "invalid-input" });
    }
  });
});
