import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

const hostPart = (): string => hostname().replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 100) || "tfgate";

/** This process's name in the store's leases: `host:pid:random`, unique per process. */
export function replicaHolder(): string {
  return `${hostPart()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether a lease holder is known to be gone: a process of this host (by `replicaHolder`'s
 * name) whose pid no longer runs. Anything else (another host, a pid that runs, possibly reused,
 * a name of another shape) is not known to be gone: the lease's expiry decides then.
 */
export function holderGone(holder: string): boolean {
  const m = /^(.+):(\d+):[0-9a-f]{8}$/.exec(holder);
  if (!m || m[1] !== hostPart()) return false;
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
