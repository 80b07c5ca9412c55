import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/repo-root.js";

const SCRIPT = join(repoRoot(), "scripts", "ensure-system-packages.sh");

/**
 * Stands in for apt-get: records each call (with DEBIAN_FRONTEND and what createcluster.conf says at
 * that moment) and "installs" what it is asked into the places the script looks at, which the
 * sandbox below made empty and writable. Nothing of the machine's packages is touched.
 */
const FAKE_APT_GET = `#!/bin/bash
shim="$(dirname "$0")"
conf=/etc/postgresql-common/createcluster.conf
cluster="$(grep -E '^[[:space:]]*create_main_cluster' "$conf" 2>/dev/null || echo none)"
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $* [createcluster: $cluster]" >> "$APT_LOG"
[[ "$1" == install ]] || exit 0
for p in "$@"; do
  case "$p" in
    postgresql-common) mkdir -p /etc/postgresql-common && printf '#create_main_cluster = true\\nssl = on\\n' > "$conf" ;;
    postgresql) mkdir -p /usr/lib/postgresql/15/bin
      for b in initdb pg_ctl postgres psql; do printf '#!/bin/sh\\n' > /usr/lib/postgresql/15/bin/$b; chmod +x /usr/lib/postgresql/15/bin/$b; done ;;
    bubblewrap) ln -s /usr/bin/bwrap "$shim/bwrap" ;;
  esac
done
`;

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly aptCalls: string[];
}

describe("scripts/ensure-system-packages.sh (bubblewrap and postgresql)", () => {
  let dir: string;
  let shim: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tfgate-syspkg-"));
    // A PATH like the machine's, with the fake apt-get and without bwrap or sudo.
    shim = join(dir, "bin");
    mkdirSync(shim);
    for (const from of ["/usr/sbin", "/usr/bin"]) {
      for (const name of readdirSync(from)) {
        if (["bwrap", "apt-get", "sudo"].includes(name) || existsSync(join(shim, name))) continue;
        symlinkSync(join(from, name), join(shim, name));
      }
    }
    writeFileSync(join(shim, "apt-get"), FAKE_APT_GET);
    chmodSync(join(shim, "apt-get"), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs the real script in a bubblewrap sandbox where /usr/lib/postgresql (when `postgres` is
   * "missing") and /etc/postgresql-common are empty scratch directories, as root or as uid 1000.
   */
  const run = (o: { postgres: "missing" | "present"; bwrap: "missing" | "present"; uid: 0 | 1000 }): Run => {
    if (o.bwrap === "present") symlinkSync("/usr/bin/bwrap", join(shim, "bwrap"));
    const log = join(dir, "apt.log");
    writeFileSync(log, "");
    const r = spawnSync("/usr/bin/bwrap", [
      "--dev-bind", "/", "/",
      ...(o.postgres === "missing" ? ["--tmpfs", "/usr/lib/postgresql"] : []),
      "--tmpfs", "/etc/postgresql-common",
      "--unshare-user", "--uid", String(o.uid), "--gid", String(o.uid),
      "--", "/bin/bash", SCRIPT,
    ], { encoding: "utf8", env: { PATH: shim, HOME: dir, APT_LOG: log }, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
    return { status: r.status, stderr: r.stderr, aptCalls: readFileSync(log, "utf8").split("\n").filter(Boolean) };
  };

  it("does nothing, and calls no apt, when bwrap and the PostgreSQL binaries are there", () => {
    const r = run({ postgres: "present", bwrap: "present", uid: 0 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.aptCalls).toEqual([]);
  });

  it("as root, installs both: one apt-get update, no main cluster, non-interactive, no recommends", () => {
    const r = run({ postgres: "missing", bwrap: "missing", uid: 0 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.aptCalls).toEqual([
      "DEBIAN_FRONTEND=noninteractive apt-get update -qq [createcluster: none]",
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-common [createcluster: none]",
      // postgresql-NN's post-install reads this to decide whether to create and start a cluster.
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap postgresql [createcluster: create_main_cluster = false]",
    ]);
  });

  it("as root, installs only what is missing", () => {
    const r = run({ postgres: "present", bwrap: "missing", uid: 0 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.aptCalls).toEqual([
      "DEBIAN_FRONTEND=noninteractive apt-get update -qq [createcluster: none]",
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap [createcluster: none]",
    ]);
  });

  it("fails when apt-get ran but the tools still cannot be found", () => {
    writeFileSync(join(shim, "apt-get"), `#!/bin/bash\necho "apt-get $*" >> "$APT_LOG"\n`);
    const r = run({ postgres: "missing", bwrap: "present", uid: 0 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("apt-get installed postgresql, but postgresql still cannot be found");
  });

  it("not root and no sudo: names each missing package and the command to run, installs nothing, fails", () => {
    const r = run({ postgres: "missing", bwrap: "missing", uid: 1000 });
    expect(r.status).toBe(1);
    expect(r.aptCalls).toEqual([]);
    expect(r.stderr).toContain("bubblewrap is missing (no 'bwrap' on PATH)");
    expect(r.stderr).toContain("PostgreSQL is missing (no initdb, pg_ctl, postgres and psql under /usr/lib/postgresql/*/bin)");
    expect(r.stderr).toContain("apt-get update && apt-get install -y --no-install-recommends bubblewrap postgresql");
  });

  it("not root, only bubblewrap missing: names only bubblewrap", () => {
    const r = run({ postgres: "present", bwrap: "missing", uid: 1000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("apt-get install -y --no-install-recommends bubblewrap\n");
    expect(r.stderr).not.toContain("PostgreSQL is missing");
  });
});
