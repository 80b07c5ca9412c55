import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("is idempotent: a second run builds nothing, and tofu reports a clean version", () => {
    const tc = ensureToolchain();
    const again = spawnSync("bash", [join(repoRoot, "scripts", "toolchain.sh")], { encoding: "utf8" });
    expect(again.status).toBe(0);
    // Every build step announces itself on stderr: silence means the stamp short-circuited it.
    expect(again.stderr).toBe("");
    const version = spawnSync(tc.tofu, ["version"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: tc.cliConfig } });
    expect(version.stdout.split("\n")[0]).toBe("OpenTofu v1.12.6");
  });
});
