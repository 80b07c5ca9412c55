import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySamples, createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

describe("tfgate detect (real git, built CLI)", () => {
  let repo: TestRepo;

  beforeAll(() => {
    repo = createTestRepo();
    copySamples(repo);
    repo.write({ "docs/notes.md": "hello\n" });
    repo.commit("samples");
    repo.git("switch", "-q", "-c", "feature");
    repo.write({
      "modules/labels/main.tf": `${repo.git("show", "main:modules/labels/main.tf")}\n# touched\n`,
      "docs/notes.md": "changed\n",
    });
    repo.commit("touch the labels module");
  });
  afterAll(() => repo.cleanup());

  it("prints exactly the JSON contract, sorted by name, with module chains", async () => {
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "feature", "--json"]);
    expect(r.code).toBe(0);
    const why = (chain: string) => `module modules/labels changed (modules/labels/main.tf modified) via ${chain}`;
    expect(r.stdout).toBe(
      `${JSON.stringify({
        projects: [
          { name: "kirare", dir: "projects/kirare", reasons: [why("projects/kirare → modules/labels")] },
          { name: "ortensia", dir: "projects/ortensia", reasons: [why("projects/ortensia → modules/labels")] },
          { name: "stella-maris", dir: "projects/stella-maris", reasons: [why("projects/stella-maris → modules/labels")] },
        ],
        deleted: [],
        warnings: [],
      })}\n`,
    );
  });

  it("keeps a V8 code cache in its data directory, with the same results from it", async () => {
    const data = mkdtempSync(join(tmpdir(), "tfgate-cli-data-"));
    try {
      const args = ["detect", "--repo", repo.dir, "--base", "main", "--head", "feature", "--json"];
      const first = await runCli(args, { TFGATE_DATA_DIR: data });
      const cacheDir = join(data, "code-cache");
      const caches = readdirSync(cacheDir);
      expect(caches).toEqual([expect.stringMatching(/^cli-detect-[0-9a-f]+\.v8$/)]);
      const written = statSync(join(cacheDir, caches[0] as string)).mtimeMs;
      const second = await runCli(args, { TFGATE_DATA_DIR: data });
      expect(second).toEqual(first);
      expect(first.code).toBe(0);
      // Used, not rewritten.
      expect(statSync(join(cacheDir, caches[0] as string)).mtimeMs).toBe(written);
      // --data-dir wins over TFGATE_DATA_DIR, for the code cache as for everything else.
      const other = join(data, "other");
      expect(await runCli([...args, "--data-dir", other], { TFGATE_DATA_DIR: data })).toEqual(first);
      expect(readdirSync(join(other, "code-cache"))).toEqual(caches);
      // TFGATE_CODE_CACHE=0 turns it off.
      rmSync(cacheDir, { recursive: true });
      expect(await runCli(args, { TFGATE_DATA_DIR: data, TFGATE_CODE_CACHE: "0" })).toEqual(first);
      expect(existsSync(cacheDir)).toBe(false);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("prints a readable table without --json", async () => {
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "feature"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PROJECT\s+DIR\s+WHY/);
    expect(r.stdout).toMatch(/stella-maris\s+projects\/stella-maris\s+module modules\/labels changed/);
    expect(r.stdout).toContain("1 changed file(s) affect no project.");
  });

  it("reports deleted projects and renames", async () => {
    repo.git("switch", "-q", "-c", "reshuffle", "main");
    repo.git("rm", "-q", "-r", "projects/ortensia");
    repo.git("mv", "projects/kirare/main.tf", "projects/kirare/core.tf");
    repo.commit("drop ortensia, rename a kirare file");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "reshuffle", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      projects: [{ name: "kirare", dir: "projects/kirare", reasons: ["projects/kirare/main.tf renamed to projects/kirare/core.tf"] }],
      deleted: [{ name: "ortensia", dir: "projects/ortensia" }],
      warnings: [],
    });
  });

  it("refuses symlinked configuration files in a project, and never checks a link's target path as HCL", async () => {
    repo.git("switch", "-q", "-c", "links-base", "main");
    repo.write({ "projects/solo/main.tf": 'resource "terraform_data" "x" {}\n' });
    repo.commit("a one-file project");
    repo.git("switch", "-q", "-c", "links");
    repo.git("rm", "-q", "projects/solo/main.tf");
    repo.symlink("../kirare/main.tf", "projects/solo/main.tf");
    repo.symlink("../../modules/labels/main.tf", "projects/kirare/labels-link.tf");
    repo.commit("solo's configuration becomes a link; kirare gains one");
    expect(repo.git("diff", "--name-status", "links-base", "links")).toBe("A\tprojects/kirare/labels-link.tf\nT\tprojects/solo/main.tf");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "links-base", "--head", "links", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("projects/kirare/labels-link.tf is a symbolic link; tfgate does not follow symlinked configuration files");
    expect(r.stderr).toContain("projects/solo/main.tf is a symbolic link");
    // The link's content is a path, not HCL: no syntax error is made up from it.
    expect(r.stderr).not.toMatch(/Invalid|Argument or block/);

    // Outside every project a link is just a changed file that affects nothing.
    repo.git("switch", "-q", "-c", "doc-link", "main");
    repo.symlink("../projects/kirare/main.tf", "docs/example.tf");
    repo.commit("a link in the docs");
    const docs = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "doc-link", "--json"]);
    expect(docs.stderr).toBe("");
    expect(docs.code).toBe(0);
    expect(JSON.parse(docs.stdout)).toEqual({ projects: [], deleted: [], warnings: [] });
  });

  it.each([
    ["an unknown ref", ["--head", "no-such-branch"], /unknown ref "no-such-branch"/],
    ["a directory that is not a git repository", ["--repo", "/tmp"], /is not a git repository/],
    ["a missing --head", ["--head"], /--head/],
  ])("exits 2 for %s", async (_name, override, message) => {
    const base = ["detect", "--repo", repo.dir, "--base", "main", "--head", "feature"];
    const args = [...base];
    for (let i = 0; i < override.length; i += 2) {
      const at = args.indexOf(override[i] as string);
      if (override[i + 1] === undefined) args.splice(at, 2, override[i] as string);
      else args[at + 1] = override[i + 1] as string;
    }
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("reads how tofu runs from the environment as the server does, and exits 2 naming a variable that is wrong", async () => {
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "feature"], { TFGATE_PLUGIN_TLS: "maybe", TFGATE_LOCK_TIMEOUT: "soon" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tfgate: invalid environment:");
    expect(r.stderr).toContain("TFGATE_PLUGIN_TLS");
    expect(r.stderr).toContain("TFGATE_LOCK_TIMEOUT: a duration such as 60s or 5m");
  });

  it("exits 2 for a head with no history in common with the base", async () => {
    repo.git("switch", "-q", "--orphan", "unrelated");
    repo.write({ "projects/kirare/main.tf": "# elsewhere\n" });
    repo.commit("unrelated root");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "unrelated"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tfgate: [0-9a-f]{40} and [0-9a-f]{40} have no common history\n$/);
    repo.git("switch", "-q", "main");
  });

  it("exits 2 naming file and line for invalid HCL in the change", async () => {
    repo.git("switch", "-q", "-c", "broken", "main");
    repo.write({ "projects/kirare/bad.tf": `resource "terraform_data" "x" {\n  input =\n}\n` });
    repo.commit("broken HCL");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "broken"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("projects/kirare/bad.tf:2,10-3,1: Invalid expression");
    expect(r.stdout).toBe("");
  });

  it("reads tfgate.yaml from the base ref and names file, line and key when it is invalid", async () => {
    repo.git("switch", "-q", "main");
    repo.write({ "tfgate.yaml": "version: 1\nroots: [\"projects/*\"]\nprojets: []\n" });
    repo.commit("bad config on main");
    repo.git("switch", "-q", "-c", "after-bad-config");
    repo.write({ "tfgate.yaml": "version: 1\n" });
    repo.commit("fix config in the branch only");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "after-bad-config"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tfgate.yaml:3: projets: unknown key (read from the base ref main)");
    repo.git("switch", "-q", "main");
    repo.git("reset", "-q", "--hard", "HEAD~1");
  });

  it("exits 2 for a module source escaping the repository", async () => {
    repo.git("switch", "-q", "-c", "escape", "main");
    repo.write({ "projects/kirare/escape.tf": `module "x" {\n  source = "../../../elsewhere"\n}\n` });
    repo.commit("escape");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "escape"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`projects/kirare/escape.tf:2: module "x" source "../../../elsewhere" points outside the repository`);
  });

  it("exits 2 for a link leading outside the repository in an affected project or module, whatever its name; allows one inside", async () => {
    repo.git("switch", "-q", "-c", "env-link", "main");
    repo.symlink("/proc/self/environ", "projects/kirare/terraform.tfvars");
    repo.symlink("../../../../../../etc/passwd", "modules/labels/templates/passwd.tpl");
    repo.commit("links out of the repository");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "env-link", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('tfgate: projects/kirare/terraform.tfvars is a symbolic link to "/proc/self/environ", which leads outside the repository; it is in project "kirare" (projects/kirare)');
    expect(r.stderr).toContain('tfgate: modules/labels/templates/passwd.tpl is a symbolic link to "../../../../../../etc/passwd", which leads outside the repository; project "kirare" reaches it through projects/kirare → modules/labels');

    // A link that stays inside the repository (a shared .tfvars) is fine.
    repo.git("switch", "-q", "-c", "shared-link", "main");
    repo.write({ "shared/common.tfvars": "x = 1\n" });
    repo.symlink("../../shared/common.tfvars", "projects/kirare/common.auto.tfvars");
    repo.commit("a shared tfvars");
    const ok = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "shared-link", "--json"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { projects: { name: string }[] }).projects.map((p) => p.name)).toEqual(["kirare"]);
  });

  it("exits 2 for a symlinked project directory", async () => {
    repo.git("switch", "-q", "-c", "symlink", "main");
    repo.symlink("kirare", "projects/alias");
    repo.commit("symlink");
    const r = await runCli(["detect", "--repo", repo.dir, "--base", "main", "--head", "symlink"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("projects/alias is a symbolic link");
  });
});
