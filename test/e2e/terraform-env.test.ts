import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTerraform } from "../../src/adapters/terraform/terraform-cli.js";
import { createTestRunner } from "../helpers/test-engine.js";

/**
 * tofu's environment as tfgate sets it, seen in tofu's own debug log (real tofu, a real provider
 * process): provider sockets in the job's private TMPDIR, and provider mTLS off unless asked for.
 */
describe("tofu's environment (real tofu)", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "tfgate-tf-env-"));
    mkdirSync(join(root, "project"), { recursive: true });
    writeFileSync(join(root, "project", "main.tf"), `resource "time_static" "t" {}\n`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function planLog(name: string, pluginTls: boolean): Promise<{ lines: string[]; tmpDir: string }> {
    const tmpDir = join(root, `tmp-${name}`);
    mkdirSync(tmpDir, { mode: 0o700 });
    const tf = createTerraform({ runner: createTestRunner({ terraformEnv: { TF_LOG: "DEBUG" }, pluginTls, goMaxProcs: 1 }), lockTimeout: "0s" });
    const lines: string[] = [];
    const outcome = await tf.plan({
      checkoutDir: join(root, "project"),
      workdir: join(root, "project"),
      dataDir: join(root, `data-${name}`),
      tmpDir,
      planFile: join(root, "plans", `${name}.tfplan`),
      localStatePath: join(root, "state", `${name}.tfstate`),
      onOutput: (line) => lines.push(line),
    });
    expect(outcome.status, JSON.stringify(outcome).slice(0, 500)).toBe("changes");
    return { lines, tmpDir };
  }

  it("puts provider sockets in the job's TMPDIR and leaves provider mTLS off by default", async () => {
    const { lines, tmpDir } = await planLog("default", false);
    const sockets = lines.filter((l) => l.includes("plugin address: address="));
    expect(sockets.length).toBeGreaterThan(0);
    for (const l of sockets) expect(l).toContain(`address=${tmpDir}/plugin`);
    expect(lines.filter((l) => l.includes("automatic mTLS"))).toEqual([]);
  });

  it("keeps provider mTLS when TFGATE_PLUGIN_TLS asks for it", async () => {
    const { lines } = await planLog("tls", true);
    expect(lines.some((l) => l.includes("configuring client automatic mTLS"))).toBe(true);
  });
});
