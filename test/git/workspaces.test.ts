import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createWorkspaces } from "../../src/adapters/git/workspaces.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";

describe("workspaces (real git)", () => {
  let repo: TestRepo;
  let root: string;
  beforeEach(() => {
    repo = createTestRepo();
    root = mkdtempSync(join(tmpdir(), "tfgate-ws-"));
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  const mirrorGit = (...args: string[]) => execFileSync("git", ["-C", join(root, "mirrors", "r.git"), ...args], { encoding: "utf8" }).trim();

  it("checks out the exact commit, with modes and symlinks, in parallel, without touching the mirror's refs", async () => {
    repo.write({ "projects/a/main.tf": "# one\n", "bin/run.sh": "#!/bin/sh\n" });
    chmodSync(join(repo.dir, "bin/run.sh"), 0o755);
    repo.symlink("../projects/a/main.tf", "links/main.tf");
    const first = repo.commit("one");
    repo.write({ "projects/a/main.tf": "# two\n" });
    const second = repo.commit("two");

    const workspaces = createWorkspaces({ rootDir: root, gitEnv: process.env });
    const [a, b] = await Promise.all([
      workspaces.checkout({ repoKey: "r", source: repo.dir, sha: first, jobId: "job-a" }),
      workspaces.checkout({ repoKey: "r", source: repo.dir, sha: second, jobId: "job-b" }),
    ]);
    expect(readFileSync(join(a.dir, "projects/a/main.tf"), "utf8")).toBe("# one\n");
    expect(readFileSync(join(b.dir, "projects/a/main.tf"), "utf8")).toBe("# two\n");
    expect(statSync(join(a.dir, "bin/run.sh")).mode & 0o111).not.toBe(0);
    expect(lstatSync(join(a.dir, "links/main.tf")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(a.dir, "links/main.tf"))).toBe("../projects/a/main.tf");
    // Private per job: tofu's data dir and the temporary directory its provider sockets go in.
    for (const d of [a.dataDir, a.tmpDir, b.dataDir, b.tmpDir]) expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(new Set([a.dataDir, a.tmpDir, b.dataDir, b.tmpDir]).size).toBe(4);

    // Nothing registered in the mirror: no worktree, HEAD and branches as cloned.
    expect(mirrorGit("worktree", "list")).not.toContain("job-");
    expect(mirrorGit("rev-parse", "refs/heads/main")).toBe(second);

    // Provider sockets go in TMPDIR: its path must stay short whatever the data directory.
    expect(a.tmpDir.length).toBeLessThan(60);

    await a.dispose();
    expect(existsSync(join(root, "jobs", "job-a"))).toBe(false);
    expect(existsSync(a.tmpDir)).toBe(false);
    expect(readFileSync(join(b.dir, "projects/a/main.tf"), "utf8")).toBe("# two\n");
    await b.dispose();
    expect(existsSync(join(root, "jobs", "job-b"))).toBe(false);
  });

  it("fetches a commit the mirror does not have yet, and names a commit that exists nowhere", async () => {
    repo.write({ "a.tf": "# 1\n" });
    const first = repo.commit("one");
    const workspaces = createWorkspaces({ rootDir: root, gitEnv: process.env });
    await (await workspaces.checkout({ repoKey: "r", source: repo.dir, sha: first, jobId: "j1" })).dispose();

    repo.write({ "a.tf": "# 2\n" });
    const second = repo.commit("two");
    const ws = await workspaces.checkout({ repoKey: "r", source: repo.dir, sha: second, jobId: "j2" });
    expect(readFileSync(join(ws.dir, "a.tf"), "utf8")).toBe("# 2\n");
    await ws.dispose();

    const missing = "0123456789abcdef0123456789abcdef01234567";
    await expect(workspaces.checkout({ repoKey: "r", source: repo.dir, sha: missing, jobId: "j3" })).rejects.toMatchObject({
      code: "unknown-ref",
      message: expect.stringContaining(missing),
    });
    // Nothing is left of a checkout that failed.
    expect(existsSync(join(root, "jobs", "j3"))).toBe(false);
  });

  it("hands a checkout prepared ahead to the next job at that commit, and discards the ones no job took", async () => {
    repo.write({ "projects/a/main.tf": "# one\n" });
    const first = repo.commit("one");
    repo.write({ "projects/a/main.tf": "# two\n" });
    const second = repo.commit("two");
    const workspaces = createWorkspaces({ rootDir: root, gitEnv: process.env });
    const jobs = () => readdirSync(join(root, "jobs")).sort();
    // A checkout made ahead never clones or fetches: on a fresh data directory it does nothing.
    workspaces.prepare({ repoKey: "r", source: repo.dir, sha: first });
    await workspaces.discardPrepared();
    expect(existsSync(join(root, "mirrors"))).toBe(false);
    expect(jobs()).toEqual([]);
    await (await workspaces.checkout({ repoKey: "r", source: repo.dir, sha: first, jobId: "clone" })).dispose();

    workspaces.prepare({ repoKey: "r", source: repo.dir, sha: first });
    workspaces.prepare({ repoKey: "r", source: repo.dir, sha: first }); // once per commit
    workspaces.prepare({ repoKey: "r", source: repo.dir, sha: second });
    const ws = await workspaces.checkout({ repoKey: "r", source: repo.dir, sha: first, jobId: "job-1" });
    expect(ws.dir).toBe(join(root, "jobs", "job-1", "src"));
    expect(readFileSync(join(ws.dir, "projects/a/main.tf"), "utf8")).toBe("# one\n");
    expect(statSync(ws.dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(ws.tmpDir).mode & 0o777).toBe(0o700);
    // The prepared directory became the job's; the other commit's is still waiting.
    await vi.waitFor(() => expect(jobs()).toHaveLength(2));
    expect(jobs().filter((d) => d.startsWith("prepared-"))).toHaveLength(1);

    // A second job at the same commit checks out on its own: a prepared checkout is used once.
    const again = await workspaces.checkout({ repoKey: "r", source: repo.dir, sha: first, jobId: "job-2" });
    expect(readFileSync(join(again.dir, "projects/a/main.tf"), "utf8")).toBe("# one\n");
    expect(again.tmpDir).not.toBe(ws.tmpDir);

    await workspaces.discardPrepared();
    expect(jobs()).toEqual(["job-1", "job-2"]);
    await Promise.all([ws.dispose(), again.dispose()]);
    expect(jobs()).toEqual([]);
    expect(existsSync(ws.tmpDir)).toBe(false);
  });

  it("falls back to its own checkout when the prepared one failed, which then reports the error", async () => {
    repo.write({ "a.tf": "# 1\n" });
    repo.commit("one");
    const workspaces = createWorkspaces({ rootDir: root, gitEnv: process.env });
    const missing = "0123456789abcdef0123456789abcdef01234567";
    workspaces.prepare({ repoKey: "r", source: repo.dir, sha: missing });
    await expect(workspaces.checkout({ repoKey: "r", source: repo.dir, sha: missing, jobId: "j" })).rejects.toMatchObject({ code: "unknown-ref" });
    await workspaces.discardPrepared();
    expect(readdirSync(join(root, "jobs"))).toEqual([]);
  });

  it("stops a prepared checkout that is still running when it is discarded, leaving nothing behind", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) files[`projects/p${i}/main.tf`] = `# ${i}\n${"x".repeat(20_000)}\n`;
    repo.write(files);
    const sha = repo.commit("big");
    const workspaces = createWorkspaces({ rootDir: root, gitEnv: process.env });
    // The mirror first; this also times a whole checkout.
    let t = performance.now();
    await (await workspaces.checkout({ repoKey: "r", source: repo.dir, sha, jobId: "warm" })).dispose();
    const whole = performance.now() - t;
    workspaces.prepare({ repoKey: "r", source: repo.dir, sha });
    await new Promise((r) => setTimeout(r, 20));
    t = performance.now();
    await workspaces.discardPrepared();
    // git was stopped, not waited for (a whole checkout includes removing it, so this is generous).
    expect(performance.now() - t).toBeLessThan(whole * 0.6);
    expect(readdirSync(join(root, "jobs"))).toEqual([]);
    // The next job checks out on its own, completely.
    const ws = await workspaces.checkout({ repoKey: "r", source: repo.dir, sha, jobId: "after" });
    expect(readdirSync(join(ws.dir, "projects"))).toHaveLength(1500);
    await ws.dispose();
  });

  it("sweeps away what the jobs of a stopped process left, and nothing outside its own directories", async () => {
    repo.write({ "a.tf": "# 1\n" });
    const sha = repo.commit("one");
    const crashed = await createWorkspaces({ rootDir: root, gitEnv: process.env }).checkout({ repoKey: "r", source: repo.dir, sha, jobId: "left-behind" });
    expect(existsSync(crashed.tmpDir)).toBe(true);
    // A job directory whose marker names something that is not a job's TMPDIR: only the job dir goes.
    const outside = mkdtempSync(join(tmpdir(), "not-a-job-"));
    mkdirSync(join(root, "jobs", "forged"), { recursive: true });
    writeFileSync(join(root, "jobs", "forged", "tmpdir"), outside);

    const next = createWorkspaces({ rootDir: root, gitEnv: process.env });
    expect(await next.sweep()).toBe(2);
    expect(readdirSync(join(root, "jobs"))).toEqual([]);
    expect(existsSync(crashed.tmpDir)).toBe(false);
    expect(existsSync(outside)).toBe(true);
    rmSync(outside, { recursive: true });
    expect(await next.sweep()).toBe(0);
  });
});
