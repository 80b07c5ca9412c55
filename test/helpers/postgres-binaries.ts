import { execFileSync } from "node:child_process";
import { accessSync, constants, readdirSync } from "node:fs";
import { join } from "node:path";

/** Where Debian installs each PostgreSQL major version (`<major>/bin`). */
const DEBIAN_ROOT = "/usr/lib/postgresql";

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
  readonly psql: string;
}

/** Who runs the server: initdb and postgres refuse root, so tests running as root use `postgres`. */
export interface PostgresOwner {
  readonly uid: number;
  readonly gid: number;
  /** Runs a command as the owner and kills it with `signal` when the test process dies. */
  readonly prefix: (deathSignal: "QUIT" | "TERM") => string[];
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The newest PostgreSQL on the machine (scripts/ensure-system-packages.sh installs Debian's). */
export function findPostgresBinaries(root: string = DEBIAN_ROOT): PostgresBinaries {
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no such directory: reported below with the others
  }
  for (const v of versions) {
    const bin = join(root, v, "bin");
    const b = { initdb: join(bin, "initdb"), postgres: join(bin, "postgres"), psql: join(bin, "psql") };
    if (Object.values(b).every(executable)) return b;
  }
  throw new Error(
    `no PostgreSQL server binaries (initdb, postgres, psql) under ${root}/*/bin: ` +
      "scripts/ensure-system-packages.sh (run by `npm test`) installs Debian's postgresql; or set TFGATE_TEST_DATABASE_URL to a server of your own",
  );
}

/** psql for a server of the caller's (TFGATE_TEST_DATABASE_URL): Debian's, else the one on PATH. */
export function findPsql(root: string = DEBIAN_ROOT): string {
  try {
    return findPostgresBinaries(root).psql;
  } catch {
    return "psql";
  }
}

/** The current user, or the `postgres` system user when the tests run as root. */
export function postgresOwner(): PostgresOwner {
  const deathsig = (s: string) => `--pdeathsig=${s}`;
  if (process.getuid?.() !== 0) {
    return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, prefix: (s) => ["setpriv", deathsig(s), "--"] };
  }
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  } catch (cause) {
    throw new Error("the tests run as root and PostgreSQL refuses root, but there is no `postgres` user (Debian's postgresql package creates it)", { cause });
  }
  // setpriv sets the death signal after changing user (a change of uid would clear it).
  return { uid, gid, prefix: (s) => ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", deathsig(s), "--"] };
}
