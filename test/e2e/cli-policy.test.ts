import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySamples, createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { repoRoot } from "../helpers/toolchain.js";

interface PolicyJson {
  status: string;
  violations: { address: string; rule: string; message: string; file?: string; line?: number }[];
  errors?: { file: string; key: string; message: string }[];
}
interface PlanJson {
  projects: { name: string; status: string; policy: PolicyJson | null }[];
}

const WRONG_LABEL = `resource "hcloud_placement_group" "wrong" {\n  name   = "kirare-wrong"\n  type   = "spread"\n  labels = { Project = "ortensia" }\n}\n`;

describe("policies in tfgate plan (real tofu, rules from the base ref)", () => {
  let repo: TestRepo;
  let dataDir: string;

  beforeAll(() => {
    repo = createTestRepo();
    copySamples(repo);
    cpSync(join(repoRoot, "policies"), join(repo.dir, "policies"), { recursive: true });
    repo.commit("samples with the default policy");
    dataDir = mkdtempSync(join(tmpdir(), "tfgate-policy-data-"));
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const plan = async (head: string) => {
    const r = await runCli(["plan", "--repo", repo.dir, "--base", "main", "--head", head, "--data-dir", dataDir, "--json"]);
    return { ...r, json: r.stdout ? (JSON.parse(r.stdout) as PlanJson) : null };
  };

  it("passes the sample projects", async () => {
    repo.git("switch", "-q", "-c", "touch-all", "main");
    repo.write({ "modules/labels/main.tf": `${repo.git("show", "main:modules/labels/main.tf")}\n# touch\n` });
    repo.commit("touch labels");
    const r = await plan("touch-all");
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.projects.map((p) => [p.name, p.policy?.status])).toEqual([
      ["kirare", "passed"],
      ["ortensia", "passed"],
      ["stella-maris", "passed"],
    ]);
  });

  it("judges a PR that weakens policies/ by the base branch's rule", async () => {
    repo.git("switch", "-q", "-c", "weaken", "main");
    // The PR scopes the rule away from every project and removes the built-in fallback's trigger...
    repo.write({
      "policies/project-tag.yaml": `version: 1\nrules:\n  - id: project-tag\n    kind: project-tag\n    projects: ["nobody-*"]\n`,
      "projects/kirare/wrong.tf": WRONG_LABEL,
    });
    repo.commit("weaken the policy and add a mislabelled resource");
    const r = await plan("weaken");
    expect(r.code).toBe(1);
    const kirare = r.json?.projects.find((p) => p.name === "kirare");
    expect(kirare?.status).toBe("changes");
    expect(kirare?.policy?.status).toBe("failed");
    expect(kirare?.policy?.violations).toEqual([
      expect.objectContaining({ address: "hcloud_placement_group.wrong", rule: "project-tag", file: "projects/kirare/wrong.tf", line: 1 }),
    ]);
    expect(kirare?.policy?.violations[0]?.message).toContain(`"kirare"`);
  });

  it("fails closed when the base branch's policy file is malformed", async () => {
    repo.git("switch", "-q", "main");
    repo.write({ "policies/extra.yaml": `version: 1\nrules:\n  - id: limits\n    kind: change-limits\n    max_destroys: 1\n    max_destroy: 2\n` });
    repo.commit("a typo in a policy key");
    repo.git("switch", "-q", "-c", "after-typo");
    repo.write({ "projects/kirare/more.tf": `resource "terraform_data" "more" {}\n` });
    repo.commit("harmless change");
    const r = await plan("after-typo");
    expect(r.code).toBe(1);
    const kirare = r.json?.projects.find((p) => p.name === "kirare");
    expect(kirare?.status).toBe("changes");
    expect(kirare?.policy?.status).toBe("error");
    expect(kirare?.policy?.errors?.[0]).toMatchObject({ file: "policies/extra.yaml", key: "rules[0].max_destroy" });
  });
});
