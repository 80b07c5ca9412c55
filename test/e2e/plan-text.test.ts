import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTerraform } from "../../src/adapters/terraform/terraform-cli.js";
import { ensureToolchain, type Toolchain } from "../helpers/toolchain.js";
import { createTestRunner } from "../helpers/test-engine.js";

/**
 * The plan's text is `show -no-color` of the saved file (never `plan`'s own output, which a process
 * of the plan could make differ from the file): real tofu, a plan that refreshes state and reads a
 * data source, with no progress lines and no sensitive value.
 */
describe("plan text (real tofu)", () => {
  let tc: Toolchain;
  let root: string;
  const project = () => join(root, "project");
  const state = () => join(root, "state", "terraform.tfstate");

  beforeAll(() => {
    tc = ensureToolchain();
    root = mkdtempSync(join(tmpdir(), "tfgate-plan-text-"));
    mkdirSync(project(), { recursive: true });
    mkdirSync(join(root, "other"), { recursive: true });
    // A second state for the data source to read, offline.
    writeFileSync(join(root, "other", "terraform.tfstate"), JSON.stringify({ version: 4, terraform_version: "1.12.6", serial: 1, lineage: "l", outputs: { zone: { value: "eu", type: "string" } }, resources: [] }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const write = (input: string) =>
    writeFileSync(
      join(project(), "main.tf"),
      `data "terraform_remote_state" "other" {\n  backend = "local"\n  config = { path = ${JSON.stringify(join(root, "other", "terraform.tfstate"))} }\n}\n` +
        `resource "terraform_data" "a" {\n  input = "${input}-\${data.terraform_remote_state.other.outputs.zone}"\n}\n` +
        `resource "terraform_data" "b" {\n  input = "fixed"\n}\n` +
        `variable "secret" {\n  default   = "hunter2-not-shown"\n  sensitive = true\n}\n` +
        `resource "terraform_data" "c" {\n  input = var.secret\n}\n`,
    );

  it("is show -no-color of the saved plan, without progress lines or sensitive values", async () => {
    const tf = createTerraform({ runner: createTestRunner(), lockTimeout: "0s" });
    // The checkout is the whole root: the data source reads a state beside the project.
    const job = (n: string) => ({ checkoutDir: root, tmpDir: mkdtempSync(join(root, `tmp-${n}-`)), workdir: project() });
    write("one");
    const first = await tf.plan({ ...job("p"), dataDir: join(root, "d1"), planFile: join(root, "plans", "1.tfplan"), localStatePath: state() });
    if (first.status !== "changes") throw new Error(JSON.stringify(first));
    expect((await tf.apply({ ...job("a"), dataDir: join(root, "d2"), planFile: first.plan.path, planSha256: first.plan.sha256, localStatePath: state() })).status).toBe("applied");

    write("two");
    const second = await tf.plan({ ...job("p"), dataDir: join(root, "d3"), planFile: join(root, "plans", "2.tfplan"), localStatePath: state() });
    if (second.status !== "changes") throw new Error(JSON.stringify(second));
    const show = execFileSync(tc.tofu, ["show", "-no-color", second.plan.path], {
      cwd: project(),
      env: { ...process.env, TF_CLI_CONFIG_FILE: tc.cliConfig, TF_DATA_DIR: join(root, "d3"), TF_IN_AUTOMATION: "1" },
      encoding: "utf8",
    });
    // (both as tfgate reads process output: without the final newline)
    expect(second.diff).toBe(show.replace(/\n$/, ""));
    expect(second.diff).toContain("~ input  = \"one-eu\" -> \"two-eu\"");
    expect(second.diff).not.toContain("Refreshing state");
    expect(second.diff).not.toContain("hunter2");
  });
});
