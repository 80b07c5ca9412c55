import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySamples, createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { ensureToolchain } from "../helpers/toolchain.js";

interface PlanJson {
  headSha: string;
  projects: { name: string; status: string; add: number; change: number; destroy: number; replace: number; planFile: string | null; planSha256: string | null; error: string | null }[];
}

describe("tfgate plan (real git, real tofu, built CLI)", () => {
  let repo: TestRepo;
  let dataDir: string;

  beforeAll(() => {
    repo = createTestRepo();
    copySamples(repo);
    repo.write({ "projects/empty/main.tf": `locals {\n  nothing = true\n}\n` });
    repo.commit("samples");
    repo.git("switch", "-q", "-c", "kirare-change");
    repo.write({ "projects/kirare/extra.tf": `resource "terraform_data" "extra" {\n  input = "x"\n}\n` });
    repo.commit("kirare: one more resource");
    dataDir = mkdtempSync(join(tmpdir(), "tfgate-data-"));
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const plan = (...args: string[]) => runCli(["plan", "--repo", repo.dir, "--base", "main", "--data-dir", dataDir, ...args]);

  it("plans the affected project, keeps a 0600 plan file with its sha256, and removes the workspace", async () => {
    const r = await plan("--head", "kirare-change", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.headSha).toBe(repo.git("rev-parse", "kirare-change"));
    expect(out.projects).toHaveLength(1);
    const [p] = out.projects;
    expect(p).toMatchObject({ name: "kirare", status: "changes", add: 5, change: 0, destroy: 0, replace: 0, error: null });
    const file = p?.planFile as string;
    expect(file).toContain(out.headSha);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(p?.planSha256).toBe(createHash("sha256").update(readFileSync(file)).digest("hex"));
    expect(readdirSync(join(dataDir, "jobs"))).toEqual([]);
  });

  it("plans named projects, reports no-changes, and prints a readable table", async () => {
    const r = await plan("--head", "kirare-change", "--project", "empty", "--project", "ortensia", "--concurrency", "2");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/empty\s+no-changes\s+0\s+0\s+0\s+0/);
    expect(r.stdout).toMatch(/ortensia\s+changes\s+5\s+0\s+0\s+0/);
    expect(r.stdout).toContain(`# hcloud_placement_group.workers["a"] will be created`);
  });

  it("exits 2 for an unknown project, listing the valid ones", async () => {
    const r = await plan("--head", "kirare-change", "--project", "nope");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown project "nope"; projects at kirare-change: empty, kirare, ortensia, stella-maris`);
  });

  it("exits 2 and plans nothing when a project reads through a link leading outside the repository", async () => {
    repo.git("switch", "-q", "-c", "env-link", "main");
    repo.symlink("/proc/self/environ", "projects/kirare/terraform.tfvars");
    repo.commit("a tfvars link to the environment");
    const before = readdirSync(dataDir, { recursive: true, encoding: "utf8" }).filter((p) => p.includes(repo.git("rev-parse", "env-link")));
    const r = await plan("--head", "env-link");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('projects/kirare/terraform.tfvars is a symbolic link to "/proc/self/environ", which leads outside the repository; it is in project "kirare"');
    expect(r.stderr).not.toContain("PATH=");
    expect(readdirSync(dataDir, { recursive: true, encoding: "utf8" }).filter((p) => p.includes(repo.git("rev-parse", "env-link")))).toEqual(before);

    // Named with --project while the change does not touch it: refused all the same.
    repo.git("switch", "-q", "-c", "after-link", "env-link");
    repo.write({ "projects/ortensia/extra.tf": `resource "terraform_data" "o" {}\n` });
    repo.commit("an unrelated change");
    const named = await runCli(["plan", "--repo", repo.dir, "--base", "env-link", "--head", "after-link", "--data-dir", dataDir, "--project", "kirare"]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain("projects/kirare/terraform.tfvars is a symbolic link");
  });

  it("exits 1 with tofu's diagnostics when a plan fails, and still plans the others", async () => {
    repo.git("switch", "-q", "-c", "broken-plan", "main");
    repo.write({
      "projects/ortensia/broken.tf": `resource "terraform_data" "b" {\n  input = var.not_declared\n}\n`,
      "projects/kirare/fine.tf": `resource "terraform_data" "fine" {}\n`,
    });
    repo.commit("reference an undeclared variable");
    const r = await plan("--head", "broken-plan", "--json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as PlanJson;
    const broken = out.projects.find((p) => p.name === "ortensia");
    expect(broken).toMatchObject({ status: "error", planFile: null });
    expect(broken?.error).toContain("plan failed");
    expect(broken?.error).toContain("Reference to undeclared input variable");
    expect(out.projects.find((p) => p.name === "kirare")?.status).toBe("changes");
  });

  it("never shows a sensitive value in the diff", async () => {
    repo.git("switch", "-q", "-c", "sensitive", "main");
    repo.write({ "projects/kirare/secret.tf": `resource "terraform_data" "s" {\n  input = var.hcloud_token\n}\n` });
    repo.commit("use the sensitive token");
    const r = await plan("--head", "sensitive");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(sensitive value)");
    expect(r.stdout).not.toContain("0000000000000000000000000000000000000000000000000000000000000000");
  });

  it("also plans with the toolchain's terraform", async () => {
    const r = await plan("--head", "kirare-change", "--json", "--binary", ensureToolchain().terraform);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.projects[0]).toMatchObject({ name: "kirare", status: "changes", add: 5 });
    expect(existsSync(out.projects[0]?.planFile as string)).toBe(true);
  });
});
