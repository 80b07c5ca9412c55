import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planProjects } from "../../src/app/plan-projects.js";
import type { PlanEngine } from "../../src/compose/plan-engine.js";
import { DEFAULT_RUN_SETTINGS, type Project } from "../../src/domain/projects/discover-projects.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { createTestEngine } from "../helpers/test-engine.js";

const project: Project = { name: "small", dir: "projects/small", whenModified: [], dependsOn: [], run: DEFAULT_RUN_SETTINGS, inputs: [] };

describe("policies read while the plans run (real tofu)", () => {
  let repo: TestRepo;
  let engine: PlanEngine;
  let cleanup: () => void;

  beforeAll(() => {
    repo = createTestRepo();
    repo.write({ "projects/small/main.tf": 'resource "terraform_data" "x" {\n  input = "small"\n}\n' });
    repo.commit("small project");
    ({ engine, cleanup } = createTestEngine("tfgate-policy-read-", { concurrency: 1 }));
  });
  afterAll(() => {
    repo.cleanup();
    cleanup();
  });

  it("keeps the plan and reports in its policy result that the policies could not be read", async () => {
    const failed = Promise.reject(new Error("git cat-file exited (128)"));
    failed.catch(() => undefined);
    const [result] = await planProjects(engine, {
      repo: { key: "policy-read", source: repo.dir },
      sha: repo.git("rev-parse", "HEAD"),
      targets: [{ project, localState: true, trusted: true }],
      planDir: engine.planDir,
      stateDir: engine.stateDir,
      scope: "cli",
      policy: failed,
      withText: false,
    });
    expect(result?.outcome).toMatchObject({ status: "changes", counts: { add: 1 } });
    expect(result?.policy).toEqual({
      status: "error",
      errors: [{ file: "policies/", key: "", line: null, message: "could not be read: git cat-file exited (128)" }],
    });
  });
});
