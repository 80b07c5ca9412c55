import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBwrap } from "../../src/adapters/runner/check-sandbox.js";
import { readRegularFile } from "../../src/adapters/runner/read-regular-file.js";
import { createTerraform } from "../../src/adapters/terraform/terraform-cli.js";
import type { PlanOutcome } from "../../src/domain/plan/plan-outcome.js";
import { repoRoot } from "../helpers/toolchain.js";
import { createTestRunner } from "../helpers/test-engine.js";

/**
 * What a pull request's code can reach from inside the sandbox (real bwrap, real tofu): it reads
 * files and environments with `file()` and `fileset()` at plan time and at apply time, and shows
 * what it got as outputs. Nothing of the host's must come back.
 */
describe("the sandbox (real bwrap, real tofu)", () => {
  let root: string;
  const SENTINEL = "host-sentinel-6f1d0c2a9b";
  const secretDir = () => join(root, "data");
  const otherState = () => join(root, "data", "state", "other", "terraform.tfstate");

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "tfgate-sandbox-"));
    // What tfgate's data directory holds: a database, another project's state, a key.
    mkdirSync(join(root, "data", "state", "other"), { recursive: true });
    writeFileSync(join(root, "data", "tfgate.sqlite"), `database ${SENTINEL}`);
    writeFileSync(otherState(), JSON.stringify({ secret: SENTINEL }));
    writeFileSync(join(root, "data", "app-key.pem"), `-----BEGIN KEY----- ${SENTINEL}`);
    process.env["TFGATE_SANDBOX_TEST_SENTINEL"] = SENTINEL;
  });
  afterAll(() => {
    delete process.env["TFGATE_SANDBOX_TEST_SENTINEL"];
    rmSync(root, { recursive: true, force: true });
  });

  const hostile = () => `
locals {
  environ  = try(file("/proc/self/environ"), "unreadable")
  procs    = try(join(",", fileset("/proc", "*/environ")), "none")
  all_envs = join("|", [for p in try(fileset("/proc", "*/environ"), []) : try(file("/proc/\${p}"), "")])
  data     = try(join(",", fileset(${JSON.stringify(secretDir())}, "**")), "unreadable")
  db       = try(filebase64(${JSON.stringify(join(secretDir(), "tfgate.sqlite"))}), "unreadable")
  other    = try(file(${JSON.stringify(otherState())}), "unreadable")
  home     = try(join(",", fileset("/root", "*")), "unreadable")
  repo     = try(join(",", fileset(${JSON.stringify(repoRoot)}, "*.json")), "unreadable")
}
resource "terraform_data" "a" {
  input = "x"
}
output "environ" { value = local.environ }
output "environ_b64" { value = base64encode(local.environ) }
output "all_envs_b64" { value = base64encode(local.all_envs) }
output "procs" { value = local.procs }
output "data" { value = local.data }
output "db" { value = local.db }
output "other" { value = local.other }
output "home" { value = local.home }
output "repo" { value = local.repo }
output "sees_path" { value = strcontains(local.environ, "PATH=") }
# Unknown until apply: evaluated again with the apply step's environment.
output "stage_token" {
  value = terraform_data.a.id == "" ? "?" : (strcontains(local.environ, "TOKEN=apply-") ? "apply" : strcontains(local.environ, "TOKEN=plan-") ? "plan" : "none")
}
`;

  function project(name: string): { checkoutDir: string; workdir: string; dataDir: string; tmpDir: string; state: string } {
    const checkoutDir = join(root, name, "src");
    const workdir = join(checkoutDir, "projects", name);
    mkdirSync(workdir, { recursive: true });
    writeFileSync(join(workdir, "main.tf"), hostile());
    return { checkoutDir, workdir, dataDir: join(root, name, "tfdata"), tmpDir: mkdtempSync(join(tmpdir(), "tfgate-sbx-tmp-")), state: join(root, "data", "state", name, "terraform.tfstate") };
  }

  it("is available here (the setup scripts install bubblewrap)", async () => {
    expect(await checkBwrap(process.env["PATH"] ?? "")).toEqual({ ok: true });
  });

  it("shows a plan nothing of the host: not tfgate's environment, data directory, home or other processes", async () => {
    const tf = createTerraform({ runner: createTestRunner(), lockTimeout: "0s" });
    const p = project("hostile");
    const outcome = await tf.plan({ ...p, planFile: join(root, "data", "plans", "hostile.tfplan"), localStatePath: p.state, credentials: { TOKEN: "plan-0123456789" } });
    if (outcome.status !== "changes") throw new Error(JSON.stringify(outcome).slice(0, 2000));
    const outputs = (outcome.planJson as { planned_values: { outputs: Record<string, { value: unknown }> } }).planned_values.outputs;
    const value = (name: string) => outputs[name]?.value as string;
    const decoded = [value("environ_b64"), value("all_envs_b64")].map((b) => Buffer.from(b, "base64").toString("utf8"));
    const everything = [outcome.diff ?? "", JSON.stringify(outputs), ...decoded].join("\n");
    expect(everything).not.toContain(SENTINEL);
    expect(everything).not.toContain("TFGATE_SANDBOX_TEST_SENTINEL");
    // The reads worked (the environment is there), and returned only the allow-list.
    expect(outputs["sees_path"]?.value).toBe(true);
    const names = decoded[0]?.split("\0").filter(Boolean).map((kv) => kv.split("=")[0]).sort();
    expect(names, decoded[0]?.split("\0").join("\n")).toEqual(["CHECKPOINT_DISABLE", "HOME", "PATH", "PWD", "TF_CLI_CONFIG_FILE", "TF_DATA_DIR", "TF_DISABLE_PLUGIN_TLS", "TF_INPUT", "TF_IN_AUTOMATION", "TMPDIR", "TOKEN"]);
    // tfgate's data directory, other projects' state, the host's home and the tfgate checkout do not exist inside.
    for (const hidden of ["db", "other", "home", "repo"]) expect(["", "unreadable"], hidden).toContain(value(hidden));
    // Of tfgate's data directory, only this project's own state directory is there.
    expect(value("data").split(",").filter(Boolean).every((f) => f.startsWith("state/hostile/")), value("data")).toBe(true);
    // Only the sandbox's own processes: tofu (pid 1) and its providers.
    const pids = value("procs").split(",").filter((e) => /^\d+\/environ$/.test(e)).map((e) => Number(e.split("/")[0]));
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every((pid) => pid < 50), value("procs")).toBe(true);
  });

  it("gives plan steps the plan credentials and the apply step only the apply credentials", async () => {
    const tf = createTerraform({ runner: createTestRunner(), lockTimeout: "0s" });
    const p = project("stages");
    const planned: PlanOutcome = await tf.plan({ ...p, planFile: join(root, "data", "plans", "stages.tfplan"), localStatePath: p.state, credentials: { TOKEN: "plan-0123456789" } });
    if (planned.status !== "changes") throw new Error(JSON.stringify(planned).slice(0, 2000));
    const applied = await tf.apply({ ...p, tmpDir: mkdtempSync(join(tmpdir(), "tfgate-sbx-tmp-")), planFile: planned.plan.path, planSha256: planned.plan.sha256, localStatePath: p.state, credentials: { TOKEN: "apply-0123456789" } });
    expect(applied.status, JSON.stringify(applied).slice(0, 2000)).toBe("applied");
    expect(applied.status === "applied" && applied.output).toContain('stage_token = "apply"');
  });

  it("refuses to read a plan file that is a link, not a regular file, or too large", async () => {
    const dir = mkdtempSync(join(root, "links-"));
    writeFileSync(join(dir, "secret"), SENTINEL);
    symlinkSync(join(dir, "secret"), join(dir, "plan.tfplan"));
    expect(await readRegularFile(join(dir, "plan.tfplan"), 100)).toEqual({ ok: false, message: `${join(dir, "plan.tfplan")} is a symbolic link` });
    execFileSync("mkfifo", [join(dir, "fifo")]);
    expect(await readRegularFile(join(dir, "fifo"), 100)).toEqual({ ok: false, message: `${join(dir, "fifo")} is not a regular file` });
    writeFileSync(join(dir, "real"), "bytes");
    chmodSync(join(dir, "real"), 0o600);
    const real = await readRegularFile(join(dir, "real"), 100);
    expect(real.ok && real.bytes.toString()).toBe("bytes");
    // A sparse file of a gigabyte uses no disk, but would fill tfgate's memory.
    execFileSync("truncate", ["-s", "1G", join(dir, "sparse")]);
    expect(await readRegularFile(join(dir, "sparse"), 1024 * 1024)).toEqual({ ok: false, message: `${join(dir, "sparse")} is 1073741824 bytes, over the limit of 1048576` });
  });

  it("ends every process of a step when tfgate dies (kill -9)", async () => {
    const marker = `${3000 + Math.floor(Math.random() * 1000)}.25`;
    // A tfgate stand-in: starts a long step through the runner, then is killed with SIGKILL.
    const script = `
      import { createTofuRunner } from ${JSON.stringify(join(repoRoot, "src/adapters/runner/tofu-runner.ts"))};
      import { createSandbox } from ${JSON.stringify(join(repoRoot, "src/adapters/runner/sandbox.ts"))};
      const runner = createTofuRunner({ binary: "/bin/sh", sandbox: createSandbox("bwrap"), env: {}, path: "/usr/bin:/bin", toolchain: [], niceness: 0, killGraceMs: 1000, setpriv: null });
      runner.run({ args: ["-c", "sleep ${marker} & sleep ${marker}"], cwd: "/", mounts: { readWrite: [], readOnly: [] }, tmpDir: ${JSON.stringify(mkdtempSync(join(tmpdir(), "tfgate-sbx-tmp-")))}, env: {}, signal: new AbortController().signal, timeout: new AbortController().signal });
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repoRoot, stdio: "ignore" });
    // The stand-in's own command line holds the marker too: "started" counts only the sleeps
    // (then bwrap has set up --die-with-parent); after the kill, anything with the marker counts.
    const count = (pattern: string) => {
      try {
        return execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" }).trim().split("\n").filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    const running = () => count(`sleep ${marker}`);
    for (const until = Date.now() + 20_000; count(`^sleep ${marker}$`) < 2; ) {
      if (Date.now() > until) throw new Error("the step never started");
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGKILL");
    for (const until = Date.now() + 10_000; running() > 0; ) {
      if (Date.now() > until) throw new Error(`processes of the step outlived tfgate: ${running()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(running()).toBe(0);
  });
});
