import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureToolchain, repoRoot } from "../helpers/toolchain.js";

describe("scripts/toolchain.sh", () => {
  it("fails with a clear message when Go is missing", () => {
    const empty = mkdtempSync(join(tmpdir(), "tfgate-toolchain-"));
    try {
      const r = spawnSync("bash", [join(repoRoot, "scripts", "toolchain.sh")], {
        encoding: "utf8",
        env: { PATH: "/usr/bin:/bin", HOME: empty, TFGATE_TOOLCHAIN_DIR: join(empty, "tc") },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("Go is not installed or not on PATH");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("fails with a clear message when TFGATE_TERRAFORM names no program", () => {
    const r = spawnSync("bash", [join(repoRoot, "scripts", "toolchain.sh")], { encoding: "utf8", env: { ...process.env, TFGATE_TERRAFORM: "/nonexistent/terraform" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("TFGATE_TERRAFORM=/nonexistent/terraform is not an executable file or a command on PATH");
  });

  it("is idempotent: a second run builds nothing, and tofu and terraform report clean versions", () => {
    const tc = ensureToolchain();
    const again = spawnSync("bash", [join(repoRoot, "scripts", "toolchain.sh")], { encoding: "utf8" });
    expect(again.status).toBe(0);
    // Every build step announces itself on stderr: silence means the stamp short-circuited it.
    expect(again.stderr).toBe("");
    const version = spawnSync(tc.tofu, ["version"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: tc.cliConfig } });
    expect(version.stdout.split("\n")[0]).toBe("OpenTofu v1.12.6");
    const terraform = spawnSync(tc.terraform, ["version"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: tc.cliConfig, CHECKPOINT_DISABLE: "1" } });
    // The built one unless the run was told to use another (TFGATE_TERRAFORM).
    expect(terraform.stdout.split("\n")[0]).toBe(process.env["TFGATE_TERRAFORM"] ? expect.stringMatching(/^Terraform v1\.\d+\.\d+$/) : "Terraform v1.14.9");
  });

  it("uses the terraform TFGATE_TERRAFORM names instead of building one: linked, and stamped so a change rebuilds", () => {
    const tc = ensureToolchain();
    const copy = mkdtempSync(join(tmpdir(), "tfgate-toolchain-"));
    try {
      // The built tofu, conftest and providers, hard-linked (only read): nothing is built again.
      mkdirSync(join(copy, "bin"));
      execFileSync("cp", ["-al", tc.tofu, join(copy, "bin", "tofu")]);
      execFileSync("cp", ["-al", join(dirname(tc.tofu), "conftest"), join(copy, "bin", "conftest")]);
      execFileSync("cp", ["-al", join(dirname(tc.cliConfig), "mirror"), join(copy, "mirror")]);
      const run = () => spawnSync("bash", [join(repoRoot, "scripts", "toolchain.sh")], { encoding: "utf8", env: { ...process.env, TFGATE_TOOLCHAIN_DIR: copy, TFGATE_TERRAFORM: tc.terraform } });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).not.toContain("building");
      expect(realpathSync(join(copy, "bin", "terraform"))).toBe(realpathSync(tc.terraform));
      expect(readFileSync(join(copy, "stamp"), "utf8")).toContain(`terraform=${realpathSync(tc.terraform)} `);
      expect(run().stderr).toBe("");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
