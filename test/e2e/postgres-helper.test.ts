import { spawn } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { repoRoot } from "../helpers/repo-root.js";

const throwaway = !process.env["TFGATE_TEST_DATABASE_URL"];

const portOf = (url: string): number => Number(new URL(url).port);
const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const c = createConnection({ host: "127.0.0.1", port }, () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
const waitUntilClosed = async (port: number, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (!(await accepts(port))) return true;
  }
  return false;
};

describe.runIf(throwaway)("test/helpers/postgres.ts: a throwaway PostgreSQL", () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  it("listens on 127.0.0.1 and a socket in its own temp dir, without fsync, run by a non-root user", async () => {
    expect(new URL(pg.url).hostname).toBe("127.0.0.1");
    expect(await pg.query("SHOW listen_addresses")).toBe("127.0.0.1");
    expect(await pg.query("SHOW fsync")).toBe("off");
    const socketDir = await pg.query("SHOW unix_socket_directories");
    expect(socketDir).toMatch(/tfgate-pg-/);
    const data = await pg.query("SHOW data_directory");
    expect(data).toBe(join(socketDir, "data"));
    expect(statSync(data).uid).not.toBe(0);
  });

  it("lets in only with the password", async () => {
    const wrong = new URL(pg.url);
    wrong.password = "not-the-password";
    await expect(pg.query("SELECT 1", wrong.toString())).rejects.toThrow(/password authentication failed/);
    const none = new URL(pg.url);
    none.password = "";
    await expect(pg.query("SELECT 1", none.toString())).rejects.toThrow(/password/);
    expect(await pg.query("SELECT current_user")).toBe("tfgate");
  });

  it("creates a fresh database per call, and refuses a name that is not a plain identifier", async () => {
    const a = await pg.createDatabase("demo");
    const b = await pg.createDatabase("demo");
    expect(a).not.toBe(b);
    await pg.query("CREATE TABLE t (x int); INSERT INTO t VALUES (1)", a);
    expect(await pg.query("SELECT count(*) FROM t", a)).toBe("1");
    await expect(pg.query("SELECT count(*) FROM t", b)).rejects.toThrow(/relation "t" does not exist/);
    await expect(pg.createDatabase("x; DROP DATABASE postgres")).rejects.toThrow(/use lower-case letters/);
  });

  it("stop() shuts the server down and removes its directory", async () => {
    const other = await startPostgres();
    const dir = await other.query("SHOW unix_socket_directories");
    await other.stop();
    expect(await accepts(portOf(other.url))).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it("the server dies with the test process when stop() is never called", async () => {
    const script = `import { startPostgres } from ${JSON.stringify(join(repoRoot(), "test/helpers/postgres.ts"))};
      const pg = await startPostgres();
      console.log(pg.url, await pg.query("SHOW unix_socket_directories")); setInterval(() => {}, 1000);`;
    // node itself (not the tsx CLI, which would be a parent in between) must be the one killed.
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repoRoot(), stdio: ["ignore", "pipe", "inherit"] });
    const [url, dir] = await new Promise<string[]>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("\n")) resolve(out.trim().split(" "));
      });
      child.once("exit", (code) => reject(new Error(`child exited (${code}) before printing a URL`)));
    });
    const port = portOf(url!);
    expect(await accepts(port)).toBe(true);
    child.kill("SIGKILL");
    expect(await waitUntilClosed(port, 10_000)).toBe(true);
    // Nobody was left to remove it.
    rmSync(dir!, { recursive: true, force: true });
  });
});
