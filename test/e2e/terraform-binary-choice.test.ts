import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planProjects } from "../../src/app/plan-projects.js";
import { DEFAULT_RUN_SETTINGS, type Project } from "../../src/domain/projects/discover-projects.js";
import type { TerraformBinaryName } from "../../src/domain/projects/repo-config.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { createTestEngine } from "../helpers/test-engine.js";

const project = (binary: TerraformBinaryName | null): Project => ({
  name: `small-${binary ?? "default"}`,
  dir: "projects/small",
  whenModified: [],
  dependsOn: [],
  run: { ...DEFAULT_RUN_SETTINGS, binary },
  inputs: [],
});

/** tfgate.yaml's terraform_binary: each project runs with the binary it names (real tofu, real terraform). */
describe("a project's terraform_binary (real tofu and terraform, sandboxed)", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createTestRepo();
    repo.write({ "projects/small/main.tf": 'resource "terraform_data" "x" {\n  input = "small"\n}\n' });
    repo.commit("small project");
  });
  afterAll(() => repo.cleanup());

  const plan = async (engine: Awaited<ReturnType<typeof createTestEngine>>["engine"], targets: Project[]) =>
    planProjects(engine, {
      repo: { key: "binary-choice", source: repo.dir },
      sha: repo.git("rev-parse", "HEAD"),
      targets: targets.map((p) => ({ project: p, localState: true, trusted: true })),
      planDir: engine.planDir,
      stateDir: engine.stateDir,
      scope: "cli",
    });

  it("plans one project with terraform and one with tofu on the same server (the toolchain holds both)", async () => {
    const { engine, cleanup } = createTestEngine("tfgate-binary-choice-");
    try {
      const [byTerraform, byTofu, byDefault] = await plan(engine, [project("terraform"), project("tofu"), project(null)]);
      for (const r of [byTerraform, byTofu, byDefault]) expect(r?.outcome).toMatchObject({ status: "changes", counts: { add: 1 } });
      const diff = (r: typeof byTofu) => (r?.outcome.status === "changes" ? (r.outcome.diff ?? "") : "");
      expect(diff(byTerraform)).toContain("Terraform used the selected providers");
      expect(diff(byTofu)).toContain("OpenTofu used the selected providers");
      expect(diff(byDefault)).toContain("OpenTofu used the selected providers");
    } finally {
      cleanup();
    }
  });

  it("a binary the server does not have fails the project saying so; nothing else runs in its place", async () => {
    // A default binary in a directory without terraform, and a PATH without it either.
    const { engine, cleanup } = createTestEngine("tfgate-binary-missing-", { terraformBinary: "/bin/sh", hostPath: "/usr/sbin:/sbin" });
    try {
      const [r] = await plan(engine, [project("terraform")]);
      expect(r?.outcome).toMatchObject({ status: "error", message: "init failed" });
      expect(r?.outcome.status === "error" && r.outcome.diagnostics).toMatch(/this tfgate server has no `terraform` binary \(looked beside its default binary in \/\S+, then on its PATH\)/);
    } finally {
      cleanup();
    }
  });
});
