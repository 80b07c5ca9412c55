import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRepoReader } from "../src/adapters/git/repo-reader.js";
import { createHclValidator } from "../src/adapters/hcl/hcl2json-validator.js";
import { detectChanges } from "../src/app/detect-changes.js";
import { median, timed, type BenchRow } from "./bench-table.js";

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.com", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.com" };

/**
 * A monorepo of `n` projects: 60 shared modules, 10 of which are used through other modules,
 * each project calling two of them; the change edits 45 project files and 5 module files.
 */
export function generateMonorepo(n: number): { dir: string; affectedAtLeast: number } {
  const dir = mkdtempSync(join(tmpdir(), `tfgate-bench-${n}-`));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (let m = 0; m < 60; m++) {
    const inner = m >= 10 ? `module "base" {\n  source = "../m${String(m % 10).padStart(2, "0")}"\n}\n` : "";
    write(`modules/m${String(m).padStart(2, "0")}/main.tf`, `${inner}variable "name" {\n  type = string\n}\nresource "terraform_data" "x" {\n  input = "\${var.name}-m${m}"\n}\n`);
  }
  for (let p = 0; p < n; p++) {
    const name = `p${String(p).padStart(5, "0")}`;
    const a = String(10 + (p % 50)).padStart(2, "0");
    const b = String(10 + ((p * 7) % 50)).padStart(2, "0");
    write(
      `projects/${name}/main.tf`,
      `locals {\n  project = "${name}"\n  labels  = { Project = "${name}", Tier = "\${var.tier}" }\n}\nvariable "tier" {\n  type    = string\n  default = "web"\n}\nmodule "a" {\n  source = "../../modules/m${a}"\n  name   = local.project\n}\nmodule "b" {\n  source = "../../modules/m${b}"\n  name   = "\${local.project}-b"\n}\n`,
    );
    write(`projects/${name}/terraform.tfvars`, `tier = "web"\n`);
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "monorepo");
  git("switch", "-q", "-c", "change");
  for (let i = 0; i < 45; i++) {
    const name = `p${String(i * Math.floor(n / 45)).padStart(5, "0")}`;
    write(`projects/${name}/terraform.tfvars`, `tier = "api"\n`);
  }
  for (let m = 55; m < 60; m++) write(`modules/m${m}/README.md`, `changed ${m}\n`);
  git("add", "-A");
  git("commit", "-q", "-m", "50-file change");
  // Packed, as tfgate's mirror of a repository always is (a clone).
  git("repack", "-adq");
  return { dir, affectedAtLeast: 45 };
}

/** A new commit on top of `change` (as a push to the pull request); returns its ref. */
function pushTo(dir: string, i: number): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: ["ignore", "pipe", "pipe"] });
  git("switch", "-q", "-c", `push-${i}`, i === 0 ? "change" : `push-${i - 1}`);
  writeFileSync(join(dir, `projects/p${String(100 + i).padStart(5, "0")}/terraform.tfvars`), `tier = "push-${i}"\n`);
  git("commit", "-q", "-am", `push ${i}`);
  return `push-${i}`;
}

export async function benchDetect(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const validator = createHclValidator(() => import("@cdktn/hcl2json"));
  await validator.warmUp();
  for (const n of [1000, 5000]) {
    const repo = generateMonorepo(n);
    try {
      const measure = async (reader: ReturnType<typeof createRepoReader>, head = "change", v = validator) => {
        let affected = 0;
        const ms = await timed(async () => {
          const r = await detectChanges({ reader, validator: v }, { base: "main", head });
          if (r.status !== "ok") throw new Error(`detection failed: ${JSON.stringify(r.problems)}`);
          affected = r.detection.projects.length;
        });
        if (affected < repo.affectedAtLeast) throw new Error(`expected at least ${repo.affectedAtLeast} affected projects, got ${affected}`);
        return { ms, affected };
      };
      if (n === 1000) {
        // The first detection in a process also compiles the code: keep that out of the figures.
        const warmup = createRepoReader({ dir: repo.dir, gitEnv: process.env });
        await measure(warmup);
        warmup.close();
      }
      // Cold: a fresh reader, nothing cached (a CLI run, or the server's first PR on a repository).
      const cold: number[] = [];
      let affected = 0;
      for (let i = 0; i < 5; i++) {
        // Nothing cached: a new reader and a new validator (its WASM parser loaded beforehand).
        const reader = createRepoReader({ dir: repo.dir, gitEnv: process.env });
        const fresh = createHclValidator(() => import("@cdktn/hcl2json"));
        await fresh.warmUp();
        const r = await measure(reader, "change", fresh);
        reader.close();
        cold.push(r.ms);
        affected = r.affected;
      }
      // Warm: the server keeps one reader per repository: trees cached by tree id, scan results
      // by blob id. Each warm run detects a new push (one more changed file), as a server would.
      const server = createRepoReader({ dir: repo.dir, gitEnv: process.env });
      await measure(server);
      const warm: number[] = [];
      for (let i = 0; i < 5; i++) warm.push((await measure(server, pushTo(repo.dir, i))).ms);
      server.close();
      const goal = n === 5000 ? "< 150 ms" : "-";
      rows.push({ name: `detect cold, ${n} projects, 50-file change`, value: median(cold), unit: "ms", goal, ok: n !== 5000 || median(cold) < 150, note: `${affected} affected, median of 5` });
      rows.push({ name: `detect warm (server), ${n} projects, 50-file change`, value: median(warm), unit: "ms", goal, ok: n !== 5000 || median(warm) < 150, note: "one reader and validator per repository, as the server keeps" });
    } finally {
      rmSync(repo.dir, { recursive: true, force: true });
    }
  }
  return rows;
}
