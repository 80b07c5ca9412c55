import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

/** A repository whose objects are not all there must be a clear error, never a quiet wrong answer or a stack trace. */
describe("tfgate detect on an incomplete repository (real git)", () => {
  const source = createTestRepo("tfgate-partial-src-");
  const scratch = mkdtempSync(join(tmpdir(), "tfgate-partial-"));
  afterAll(() => {
    source.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });
  source.write({ "projects/a/main.tf": `module "m" {\n  source = "../../modules/m"\n}\n`, "modules/m/main.tf": `resource "terraform_data" "x" {}\n` });
  source.commit("one");
  source.git("switch", "-q", "-c", "feat");
  source.write({ "modules/m/main.tf": `resource "terraform_data" "x" {}\nresource "terraform_data" "y" {}\n` });
  source.commit("two");
  source.git("switch", "-q", "main");
  source.git("config", "uploadpack.allowFilter", "true");
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  it("a partial clone that cannot fetch its missing blobs: exit 2, naming the file and the fix (it used to say 'No project is affected')", async () => {
    const clone = join(scratch, "partial");
    git(scratch, "clone", "-q", "--no-local", "--filter=blob:none", "--no-checkout", `file://${source.dir}`, clone);
    git(clone, "fetch", "-q", "origin", "feat:feat");
    git(clone, "remote", "remove", "origin");
    const r = await runCli(["detect", "--repo", clone, "--base", "main", "--head", "feat"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^tfgate: .*partial lacks the contents of \S+main\.tf.* the repository is incomplete.*git fetch --refetch/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a git failure (a tree object lost from the object store): one line naming git's error, no stack trace", async () => {
    const broken = join(scratch, "broken");
    // A copy keeps the objects loose, one file each.
    cpSync(source.dir, broken, { recursive: true });
    const tree = git(broken, "rev-parse", "feat:modules").trim();
    unlinkSync(join(broken, ".git", "objects", tree.slice(0, 2), tree.slice(2)));
    const r = await runCli(["detect", "--repo", broken, "--base", "main", "--head", "feat"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^tfgate: .*git /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain("unexpected error");
  });
});
