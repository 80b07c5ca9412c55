import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createObjectReader } from "../../src/adapters/git/object-reader.js";
import { createRepoReader } from "../../src/adapters/git/repo-reader.js";
import { runGit } from "../../src/adapters/git/run-git.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";

// Adapters never read process.env: the environment git starts from is passed in. These show
// that what is passed is what git sees, in the one-shot calls and in the long-lived cat-file.
describe("git's base environment (passed in, not inherited)", () => {
  let repo: TestRepo;
  let other: TestRepo;
  beforeEach(() => {
    repo = createTestRepo();
    other = createTestRepo();
  });
  afterEach(() => {
    repo.cleanup();
    other.cleanup();
  });

  it("one-shot git gets the base environment passed in, under tfgate's fixed variables", async () => {
    const baseEnv = { ...process.env, GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "tfgate.probe", GIT_CONFIG_VALUE_0: "from-base" };
    expect((await runGit(repo.dir, ["config", "--get", "tfgate.probe"], { baseEnv })).stdout).toBe("from-base");
    // tfgate's fixed variables win over the base (no pager, no prompt, C-locale messages).
    expect((await runGit(repo.dir, ["var", "GIT_PAGER"], { baseEnv: { ...baseEnv, GIT_PAGER: "less" } })).stdout).toBe("cat");
    await expect(runGit(repo.dir, ["config", "--get", "tfgate.probe"], { baseEnv: process.env })).rejects.toMatchObject({ code: "git-failed" });
  });

  it("the object reader's cat-file and the repo reader get it too", async () => {
    // The blob exists only in the other repository: visible through the base environment's alternates.
    other.write({ "elsewhere.tf": "# only in the other repository\n" });
    const sha = other.commit("other");
    repo.commit("empty");
    const alternates = { ...process.env, GIT_ALTERNATE_OBJECT_DIRECTORIES: `${other.dir}/.git/objects` };
    const plain = createObjectReader(repo.dir, process.env);
    const seeing = createObjectReader(repo.dir, alternates);
    const reader = createRepoReader({ dir: repo.dir, gitEnv: alternates });
    try {
      expect(await plain.readTexts([`${sha}:elsewhere.tf`])).toEqual([null]);
      expect(await seeing.readTexts([`${sha}:elsewhere.tf`])).toEqual(["# only in the other repository\n"]);
      expect((await reader.readTexts(sha, ["elsewhere.tf"])).get("elsewhere.tf")).toBe("# only in the other repository\n");
    } finally {
      plain.close();
      seeing.close();
      reader.close();
    }
  });
});
