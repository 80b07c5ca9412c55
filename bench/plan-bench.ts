import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { median, type BenchRow } from "./bench-table.js";
import { repoRoot } from "../test/helpers/repo-root.js";

const root = repoRoot();
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.com", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.com" };

export function toolchainEnv(): Record<string, string> {
  const dir = process.env["TFGATE_TOOLCHAIN_DIR"] ?? join(root, ".toolchain");
  return { ...(process.env as Record<string, string>), TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"), TFGATE_TERRAFORM_BINARY: join(dir, "bin", "tofu"), CHECKPOINT_DISABLE: "1" };
}

function wall(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): void {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && !(cmd.endsWith("tofu") && args[0] === "plan" && r.status === 2)) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
}

/** A repository with the sample projects (and `extra` copies of kirare) plus a change to each. */
function sampleRepo(extra: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-plan-bench-"));
  cpSync(join(root, "projects"), join(dir, "projects"), { recursive: true });
  cpSync(join(root, "modules"), join(dir, "modules"), { recursive: true });
  cpSync(join(root, "policies"), join(dir, "policies"), { recursive: true });
  for (const name of extra) {
    cpSync(join(root, "projects", "kirare"), join(dir, "projects", name), { recursive: true });
    const main = join(dir, "projects", name, "main.tf");
    writeFileSync(main, readFileSync(main, "utf8").replaceAll("kirare", name));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  return dir;
}

/**
 * Raw tofu, as a user runs it by hand: a fresh copy of projects/ and modules/ from `source`, then
 * init, plan -out and show -json in projects/kirare. Returns the time of the three commands.
 */
export function timeRawTofu(source: string, env: Record<string, string>): number {
  const tofu = env["TFGATE_TERRAFORM_BINARY"] as string;
  const copy = mkdtempSync(join(tmpdir(), "tfgate-raw-"));
  try {
    cpSync(join(source, "projects"), join(copy, "projects"), { recursive: true });
    cpSync(join(source, "modules"), join(copy, "modules"), { recursive: true });
    const wd = join(copy, "projects", "kirare");
    return wall(() => {
      run(tofu, ["init", "-input=false", "-no-color"], wd, env);
      run(tofu, ["plan", "-input=false", "-no-color", "-out=plan.tfplan"], wd, env);
      run(tofu, ["show", "-json", "plan.tfplan"], wd, env);
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** tfgate plan of one project against raw init + plan -out + show -json on a fresh copy. */
function benchSingle(env: Record<string, string>): BenchRow {
  const repo = sampleRepo([]);
  const raw: number[] = [];
  const tfgate: number[] = [];
  // tfgate's data dir persists between runs, as in normal use: the repository mirror and the
  // provider schema cache are made once (the first, uncounted round), like tofu's own caches.
  const data = mkdtempSync(join(tmpdir(), "tfgate-bench-data-"));
  try {
    for (let i = 0; i < 4; i++) {
      const rawMs = timeRawTofu(repo, env);
      const tfgateMs = wall(() =>
        run(process.execPath, [join(root, "dist", "cli.js"), "plan", "--repo", repo, "--base", "main", "--head", "main", "--project", "kirare", "--data-dir", data, "--json"], repo, env),
      );
      // The first round warms the page cache for both; it is not counted.
      if (i > 0) {
        raw.push(rawMs);
        tfgate.push(tfgateMs);
      }
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
  const ratio = median(tfgate) / median(raw);
  return {
    name: "tfgate plan of one project / raw tofu init+plan+show -json",
    value: ratio,
    unit: "ratio",
    goal: "≤ 1.10",
    ok: ratio <= 1.1,
    note: `${(median(tfgate) / 1000).toFixed(2)} s vs ${(median(raw) / 1000).toFixed(2)} s, median of 3`,
  };
}

/**
 * The sandbox's cost: the same `tfgate plan` of one project with `--sandbox bwrap` and with
 * `--sandbox none`, alternated in one run (each in its own data dir, warmed by an uncounted round).
 */
function benchSandbox(env: Record<string, string>): BenchRow {
  const repo = sampleRepo([]);
  const times: Record<"bwrap" | "none", number[]> = { bwrap: [], none: [] };
  const data = { bwrap: mkdtempSync(join(tmpdir(), "tfgate-bench-sbx-")), none: mkdtempSync(join(tmpdir(), "tfgate-bench-nosbx-")) };
  try {
    for (let i = 0; i < 6; i++) {
      for (const kind of i % 2 === 0 ? (["bwrap", "none"] as const) : (["none", "bwrap"] as const)) {
        const ms = wall(() =>
          run(process.execPath, [join(root, "dist", "cli.js"), "plan", "--repo", repo, "--base", "main", "--head", "main", "--project", "kirare", "--data-dir", data[kind], "--sandbox", kind, "--json"], repo, env),
        );
        if (i > 0) times[kind].push(ms);
      }
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
    for (const d of Object.values(data)) rmSync(d, { recursive: true, force: true });
  }
  const ratio = median(times.bwrap) / median(times.none);
  return {
    name: "sandboxed plan / unsandboxed plan, one project (tfgate plan --sandbox bwrap vs none)",
    value: ratio,
    unit: "ratio",
    goal: "≤ 1.05",
    ok: ratio <= 1.05,
    note: `${(median(times.bwrap) / 1000).toFixed(2)} s vs ${(median(times.none) / 1000).toFixed(2)} s, median of 5`,
  };
}

/**
 * CPU seconds used by this process's finished children and their own (tofu, providers, git):
 * cutime + cstime from /proc/self/stat. Linux only; null elsewhere.
 */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    return (Number(fields[13]) + Number(fields[14])) / ticks;
  } catch {
    return null;
  }
}

/**
 * 8 projects planned with --concurrency 1 and 2, and what this machine allows at best: the
 * two-at-a-time run cannot finish sooner than its CPU time spread over every core, so the
 * speed-up is at most (one-at-a-time wall time) ÷ (two-at-a-time CPU time ÷ cores).
 */
function benchConcurrency(env: Record<string, string>): BenchRow[] {
  const names = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"];
  const repo = sampleRepo(names);
  const times: Record<number, number[]> = { 1: [], 2: [] };
  const cpu: number[] = [];
  const data = mkdtempSync(join(tmpdir(), "tfgate-bench-data-"));
  const plan = (c: number) => {
    const args = ["plan", "--repo", repo, "--base", "main", "--head", "main", "--data-dir", data, "--json", "--concurrency", String(c)];
    for (const n of names) args.push("--project", n);
    const cpuBefore = childCpuSeconds();
    const ms = wall(() => run(process.execPath, [join(root, "dist", "cli.js"), ...args], repo, env));
    const cpuAfter = childCpuSeconds();
    if (c === 2 && cpuBefore !== null && cpuAfter !== null) cpu.push(cpuAfter - cpuBefore);
    return ms;
  };
  try {
    plan(2); // warms the mirror and the schema cache; not counted
    cpu.length = 0;
    for (let i = 0; i < 2; i++) for (const c of [1, 2]) times[c]?.push(plan(c));
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
  const one = median(times[1] ?? []);
  const two = median(times[2] ?? []);
  const speedup = one / two;
  const rows: BenchRow[] = [
    {
      name: "8 projects, --concurrency 2 vs 1",
      value: speedup,
      unit: "×",
      goal: "≥ 1.7×",
      ok: speedup >= 1.7,
      note: `${(one / 1000).toFixed(1)} s vs ${(two / 1000).toFixed(1)} s, median of 2`,
    },
  ];
  if (cpu.length === times[2]?.length) {
    const floor = (median(cpu) / availableParallelism()) * 1000;
    rows.push({
      name: `ceiling on this machine: --concurrency 1 wall time ÷ (--concurrency 2 CPU time ÷ ${availableParallelism()} CPUs)`,
      value: one / floor,
      unit: "×",
      goal: "-",
      ok: true,
      note: `${median(cpu).toFixed(1)} CPU-seconds for the 8 plans; no scheduling can beat it`,
    });
  }
  return rows;
}

/** A command as a promise (the raw reference runs two at a time). */
function runAsync(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 || (args[0] === "plan" && code === 2) ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

/**
 * The machine's own ceiling for the concurrency row: the same 8 projects planned by raw tofu
 * (init, plan -out, show -json; tofu's defaults), one at a time against two at a time.
 */
async function benchRawConcurrency(env: Record<string, string>): Promise<BenchRow> {
  const names = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"];
  const repo = sampleRepo(names);
  const tofu = env["TFGATE_TERRAFORM_BINARY"] as string;
  const one = async (name: string) => {
    const wd = join(repo, "projects", name);
    rmSync(join(wd, ".terraform"), { recursive: true, force: true });
    await runAsync(tofu, ["init", "-input=false", "-no-color"], wd, env);
    await runAsync(tofu, ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=plan.tfplan"], wd, env);
    await runAsync(tofu, ["show", "-json", "plan.tfplan"], wd, env);
  };
  const all = async (parallel: number) => {
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: parallel }, async () => {
      for (let i = next++; i < names.length; i = next++) await one(names[i] as string);
    }));
    return performance.now() - started;
  };
  const times: Record<number, number[]> = { 1: [], 2: [] };
  try {
    await all(2); // warms the page cache; not counted
    for (let i = 0; i < 2; i++) for (const c of [1, 2]) times[c]?.push(await all(c));
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
  const speedup = median(times[1] ?? []) / median(times[2] ?? []);
  return {
    name: "reference: raw tofu, the same 8 projects, 2 at a time vs 1 at a time (tofu's defaults)",
    value: speedup,
    unit: "×",
    goal: "-",
    ok: true,
    note: `${(median(times[1] ?? []) / 1000).toFixed(1)} s vs ${(median(times[2] ?? []) / 1000).toFixed(1)} s, median of 2`,
  };
}

export async function benchPlans(): Promise<BenchRow[]> {
  const env = toolchainEnv();
  return [benchSingle(env), benchSandbox(env), ...benchConcurrency(env), await benchRawConcurrency(env)];
}
