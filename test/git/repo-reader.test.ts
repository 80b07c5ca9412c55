import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRepoReader } from "../../src/adapters/git/repo-reader.js";
import { streamGit } from "../../src/adapters/git/run-git.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";

describe("repo reader (real git)", () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = createTestRepo();
  });
  afterEach(() => repo.cleanup());

  it("lists a tree bigger than one pipe chunk, with non-ASCII names, and scans each configuration file once", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) {
      const name = `projects/prøject-✓-${String(i).padStart(4, "0")}`;
      files[`${name}/main.tf`] = `module "m" {\n  source = "../../modules/ä"\n}\n`;
      files[`${name}/terraform.tfvars`] = `x = ${i}\n`;
    }
    files["modules/ä/main.tf"] = 'variable "x" {}\n';
    repo.write(files);
    repo.symlink("../modules/ä/main.tf", "projects/link.tf");
    const sha = repo.commit("many");
    const expected = repo.git("-c", "core.quotepath=false", "ls-files").split("\n").filter((f) => f !== "projects/link.tf").sort();

    const reader = createRepoReader({ dir: repo.dir, gitEnv: process.env });
    try {
      const [resolved] = await reader.resolveRefs(["HEAD"]);
      expect(resolved).toBe(sha);
      const tree = await reader.readTree(sha, true);
      expect([...tree.files].sort()).toEqual(expected);
      expect(tree.symlinks).toEqual(["projects/link.tf"]);
      // Every configuration file, and nothing else (a link's content is not configuration).
      expect(tree.configFiles.length).toBe(1501);
      // A source with a non-ASCII letter: the byte search cannot tell, the scan can.
      expect(tree.sourceHints("projects/prøject-✓-0042/main.tf")).toBeNull();
      const scan = tree.scan("projects/prøject-✓-0042/main.tf");
      expect(scan).toEqual({ ok: true, summary: { modules: [{ name: "m", source: "../../modules/ä", line: 2 }], hasBackend: false } });
      // Read again, from the reader's caches: the same tree.
      const again = await reader.readTree(sha, true);
      expect([...again.files].sort()).toEqual(expected);
      expect(again.configFiles.length).toBe(1501);
      expect(again.scan("projects/prøject-✓-0042/main.tf")).toEqual(scan);
    } finally {
      reader.close();
    }
  });

  it("reads every link's target for the head tree, none for a base tree", async () => {
    repo.write({ "projects/p/main.tf": "# p\n" });
    repo.symlink("/proc/self/environ", "projects/p/terraform.tfvars");
    repo.symlink("../../shared/ä.tfvars", "projects/p/files/common.tfvars");
    repo.symlink("/proc/self/environ", "docs/env");
    const sha = repo.commit("links");
    const reader = createRepoReader({ dir: repo.dir, gitEnv: process.env });
    try {
      const head = await reader.readTree(sha, true);
      expect([...head.symlinks].sort()).toEqual(["docs/env", "projects/p/files/common.tfvars", "projects/p/terraform.tfvars"]);
      expect(head.linkTarget("projects/p/terraform.tfvars")).toBe("/proc/self/environ");
      expect(head.linkTarget("projects/p/files/common.tfvars")).toBe("../../shared/ä.tfvars");
      expect(head.linkTarget("projects/p/main.tf")).toBeNull();
      // Again, from the cache by blob id: the same targets.
      expect((await reader.readTree(sha, true)).linkTarget("docs/env")).toBe("/proc/self/environ");
      expect((await reader.readTree(sha, false)).linkTarget("docs/env")).toBeNull();
    } finally {
      reader.close();
    }
  });

  it("stops git and fails with the reader's error when the reader of its output throws", async () => {
    repo.write({ "a.tf": "# a\n" });
    repo.commit("one");
    let chunks = 0;
    await expect(
      streamGit(repo.dir, ["log", "--all"], () => {
        chunks++;
        throw new Error("cannot parse this");
      }, { baseEnv: process.env }),
    ).rejects.toThrow("cannot parse this");
    expect(chunks).toBe(1);
    await expect(streamGit(repo.dir, ["no-such-command"], () => undefined, { baseEnv: process.env })).rejects.toMatchObject({ code: "git-failed" });
  });
});
