import { createHash, randomUUID } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Which pids this process can judge: the machine's boot and the pid namespace it sees. Two
 * containers with one hostname (host networking, a fixed `hostname:`) differ here; null where
 * /proc does not say (then no holder is ever judged gone).
 */
function pidSpace(): string | null {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const ns = readlinkSync("/proc/self/ns/pid");
    return createHash("sha256").update(`${boot}\0${ns}`).digest("hex").slice(0, 12);
  } catch {
    return null;
  }
}

const hostPart = (): string => hostname().replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 100) || "tfgate";

/** This process's name in the store's leases: `host:space:pid:random`, unique per process. */
export function replicaHolder(): string {
  return `${hostPart()}:${pidSpace() ?? "unknown"}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether a lease holder is known to be gone: a process of this machine's boot and pid namespace
 * (by `replicaHolder`'s name) whose pid no longer runs. Anything else (another host or
 * namespace, a pid that runs, possibly reused, a name of another shape) is not known to be gone:
 * the lease's expiry decides then.
 */
export function holderGone(holder: string): boolean {
  const space = pidSpace();
  const m = /^.+:([0-9a-f]{12}):(\d+):[0-9a-f]{8}$/.exec(holder);
  if (space === null || !m || m[1] !== space) return false;
  const pid = Number(m[2]);
  if (pid === process.pid || pid <= 1) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
