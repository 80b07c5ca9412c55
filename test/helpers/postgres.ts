import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findPostgresBinaries, findPsql, postgresOwner, type PostgresBinaries, type PostgresOwner } from "./postgres-binaries.js";

const run = promisify(execFile);

/** A PostgreSQL server for one test file. */
export interface TestPostgres {
  /**
   * Superuser URL of the server's `postgres` database. The throwaway server has no TLS, so its URLs
   * say `sslmode=disable` (lib/pq, which tofu's pg backend uses, requires TLS by default).
   */
  readonly url: string;
  /** A new empty database named `<prefix>_<random>` (so test files can share a server); its URL. */
  createDatabase(prefix: string): Promise<string>;
  /** Runs SQL with psql (default: on `url`); rows unaligned, columns `|`-separated, one per line. */
  query(sql: string, url?: string): Promise<string>;
  /** Stops the server and removes its directory; on TFGATE_TEST_DATABASE_URL, drops the databases created. */
  stop(): Promise<void>;
}

const USER = "tfgate";
const READY = "database system is ready to accept connections";

/**
 * TFGATE_TEST_DATABASE_URL's server when set, else a fresh throwaway server: initdb in a temp dir
 * (as the `postgres` user when the tests run as root), listening on 127.0.0.1 only, on a free
 * port and a unix socket in that dir, password (SCRAM) authentication for every connection, no
 * fsync. The server dies with the test process if `stop()` is never called.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const external = process.env["TFGATE_TEST_DATABASE_URL"];
  // Someone else's server outlives the tests: what they created is dropped instead.
  if (external) {
    const psql = findPsql();
    return clientOf(external, psql, async (created) => {
      for (const name of created) await queryWith(psql, external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  }
  const bins = findPostgresBinaries();
  const owner = postgresOwner();
  const dir = mkdtempSync(join(tmpdir(), "tfgate-pg-"));
  try {
    const password = randomBytes(18).toString("hex");
    await initCluster(bins, owner, dir, password);
    const { server, port } = await startServer(bins, owner, dir);
    const url = `postgresql://${USER}:${password}@127.0.0.1:${port}/postgres?sslmode=disable`;
    return clientOf(url, bins.psql, async () => {
      await stopServer(server);
      rmSync(dir, { recursive: true, force: true });
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function queryWith(psql: string, url: string, sql: string): Promise<string> {
  try {
    const { stdout } = await run(psql, ["-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], {
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", PGCONNECT_TIMEOUT: "10" },
    });
    return stdout.replace(/\n$/, "");
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? "";
    throw new Error(`psql failed on ${redact(url)}: ${stderr.trim() || String(cause)}\nSQL: ${sql}`, { cause });
  }
}

function clientOf(url: string, psql: string, shutdown: (created: readonly string[]) => Promise<void>): TestPostgres {
  const created: string[] = [];
  const query = (sql: string, on: string = url): Promise<string> => queryWith(psql, on, sql);
  return {
    url,
    query,
    async createDatabase(prefix) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`database prefix '${prefix}': use lower-case letters, digits and _ (at most 41)`);
      const name = `${prefix}_${randomBytes(4).toString("hex")}`;
      await query(`CREATE DATABASE ${name}`);
      created.push(name);
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop: () => shutdown(created.splice(0)),
  };
}

const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

async function initCluster(bins: PostgresBinaries, owner: PostgresOwner, dir: string, password: string): Promise<void> {
  chownSync(dir, owner.uid, owner.gid);
  const pwfile = join(dir, "password");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownSync(pwfile, owner.uid, owner.gid);
  const data = join(dir, "data");
  const args = ["-D", data, "-U", USER, `--pwfile=${pwfile}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"];
  try {
    await run(owner.prefix("TERM")[0]!, [...owner.prefix("TERM").slice(1), bins.initdb, ...args], { env: serverEnv() });
  } catch (cause) {
    // As root, a TMPDIR the postgres user cannot traverse is the usual cause.
    throw new Error(`initdb in ${dir} as uid ${owner.uid} failed: ${(cause as { stderr?: string }).stderr ?? String(cause)}`, { cause });
  } finally {
    rmSync(pwfile, { force: true });
  }
  // Only this machine, only with the password: tests of the sandbox must not find an open door here.
  writeFileSync(join(data, "pg_hba.conf"), "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n");
  // A throwaway server: durability buys nothing, start-up and DDL speed do.
  appendFileSync(join(data, "postgresql.conf"), [
    "", "# test/helpers/postgres.ts",
    "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`,
    "fsync = off", "synchronous_commit = off", "full_page_writes = off",
    "wal_level = minimal", "max_wal_senders = 0", "shared_buffers = 16MB", "logging_collector = off", "",
  ].join("\n"));
}

/** A free port, then the server on it; another process may take the port in between, so retry. */
async function startServer(bins: PostgresBinaries, owner: PostgresOwner, dir: string): Promise<{ server: ChildProcess; port: number }> {
  let last = "";
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort();
    const [cmd, ...pre] = owner.prefix("QUIT");
    const server = spawn(cmd!, [...pre, bins.postgres, "-D", join(dir, "data"), "-p", String(port)], { env: serverEnv(), stdio: ["ignore", "ignore", "pipe"] });
    const outcome = await new Promise<"ready" | "exited">((resolve) => {
      let log = "";
      server.stderr!.setEncoding("utf8");
      server.stderr!.on("data", (chunk: string) => {
        // Keep draining (a full pipe would stall the server), keep only the tail.
        log = (log + chunk).slice(-16_384);
        last = log;
        if (log.includes(READY)) resolve("ready");
      });
      server.once("exit", () => resolve("exited"));
    });
    if (outcome === "ready") return { server, port };
    if (!/could not bind|address already in use/i.test(last)) break;
  }
  throw new Error(`PostgreSQL did not start:\n${last}`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGINT"); // fast shutdown: disconnect clients, no waiting for them
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Nothing of the test's environment (PGDATA, PGPORT … would redirect the server). */
const serverEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env["PATH"] ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" });
