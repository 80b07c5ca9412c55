import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTerraform } from "../../src/adapters/terraform/terraform-cli.js";
import type { Terraform } from "../../src/app/ports/terraform.js";
import type { PlanOutcome } from "../../src/domain/plan/plan-outcome.js";
import { createTestRunner } from "../helpers/test-engine.js";

/** Applying exactly a saved plan, with real tofu (terraform_data applies offline). */
describe("terraform adapter: apply of a saved plan (real tofu)", () => {
  let root: string;
  let tf: Terraform;
  const workdir = () => join(root, "project");
  const state = () => join(root, "state", "terraform.tfstate");
  const tmp = (name: string) => mkdtempSync(join(root, `tmp-${name}-`));
  const plan = async (name: string): Promise<Extract<PlanOutcome, { status: "changes" | "no-changes" }>> => {
    const out = await tf.plan({ checkoutDir: workdir(), tmpDir: tmp(name), workdir: workdir(), dataDir: join(root, `data-${name}`), planFile: join(root, "plans", `${name}.tfplan`), localStatePath: state() });
    if (out.status === "error") throw new Error(`${out.message}\n${out.diagnostics}`);
    return out;
  };
  const apply = (name: string, p: Extract<PlanOutcome, { status: "changes" }>) =>
    tf.apply({ checkoutDir: workdir(), tmpDir: tmp(`${name}-apply`), workdir: workdir(), dataDir: join(root, `data-${name}-apply`), planFile: p.plan.path, planSha256: p.plan.sha256, localStatePath: state() });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "tfgate-apply-"));
    tf = createTerraform({ runner: createTestRunner(), lockTimeout: "0s" });
    mkdirSync(workdir(), { recursive: true });
    writeFileSync(join(workdir(), "main.tf"), `resource "terraform_data" "a" {\n  input = "one"\n}\n`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("applies the saved plan; a new plan of the same config then shows no changes", async () => {
    const first = await plan("first");
    expect(first.status).toBe("changes");
    if (first.status !== "changes") return;
    const r = await apply("first", first);
    expect(r.status, JSON.stringify(r)).toBe("applied");
    expect(r.status === "applied" && r.output).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect((await plan("again")).status).toBe("no-changes");
  });

  it("refuses a plan file whose sha256 differs from the reviewed one, without running tofu", async () => {
    appendFileSync(join(workdir(), "main.tf"), `resource "terraform_data" "b" {\n  input = "two"\n}\n`);
    const p = await plan("tamper");
    if (p.status !== "changes") throw new Error("expected changes");
    appendFileSync(p.plan.path, "x");
    const r = await apply("tamper", p);
    expect(r.status).toBe("refused");
    expect(r.status === "refused" && r.message).toContain("the file changed after review, so nothing was applied");
  });

  it("reports a saved plan made stale by a later apply, asking for a new plan", async () => {
    const older = await plan("older");
    const newer = await plan("newer");
    if (older.status !== "changes" || newer.status !== "changes") throw new Error("expected changes");
    expect((await apply("newer", newer)).status).toBe("applied");
    const r = await apply("older", older);
    expect(r.status, JSON.stringify(r)).toBe("stale");
  });
});
