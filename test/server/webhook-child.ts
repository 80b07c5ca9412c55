import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The webhook process the server started (its only child running webhook-process.js). */
export function webhookPid(serverPid: number): number | null {
  try {
    const out = execFileSync("pgrep", ["-P", String(serverPid), "-f", "webhook-process.js"], { encoding: "utf8" }).trim();
    return out ? Number(out.split("\n")[0]) : null;
  } catch {
    return null;
  }
}

/** A process's resident memory now (VmRSS) and at its peak (VmHWM), in MiB, from /proc. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}
