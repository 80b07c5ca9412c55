import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunLogs } from "../../app/ports/run-logs.js";

export interface FileRunLogsOptions {
  /** One `<jobId>.log` per job (0600 in a 0700 directory: logs may quote configuration). */
  readonly dir: string;
  /** Applied to every line before it is kept (the server's secret scrubber). */
  readonly scrub: (text: string) => string;
  /** A runaway job cannot fill the disk or memory: lines past this many bytes are dropped, with a note. */
  readonly maxBytesPerJob?: number;
}

interface Active {
  readonly stream: WriteStream;
  /** Kept in memory while the job runs, so a new follower replays them without racing the file. */
  readonly lines: string[];
  readonly followers: Set<{ onLine: (line: string) => void; onEnd: () => void }>;
  bytes: number;
  truncated: boolean;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Run logs as files under the data dir, with in-memory followers for jobs still running. */
export function createFileRunLogs(options: FileRunLogsOptions): RunLogs {
  const max = options.maxBytesPerJob ?? 10 * 1024 * 1024;
  const active = new Map<string, Active>();
  const finished = new Set<string>();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  // Job ids come from tfgate, but the UI passes ids from URLs here: never build a path from anything else.
  const pathOf = (jobId: string) => (ID.test(jobId) ? join(options.dir, `${jobId}.log`) : null);

  function open(jobId: string): Active | null {
    const existing = active.get(jobId);
    if (existing) return existing;
    const path = pathOf(jobId);
    if (!path || finished.has(jobId)) return null;
    // `flags: a` keeps what an earlier process wrote for the same job.
    const a: Active = { stream: createWriteStream(path, { flags: "a", mode: 0o600 }), lines: [], followers: new Set(), bytes: 0, truncated: false };
    a.stream.on("error", () => undefined); // a full disk must not crash the server; the UI shows what was kept
    active.set(jobId, a);
    return a;
  }

  function keep(a: Active, line: string): void {
    a.lines.push(line);
    a.stream.write(`${line}\n`);
    for (const f of a.followers) f.onLine(line);
  }

  return {
    append(jobId, raw) {
      const a = open(jobId);
      if (!a || a.truncated) return;
      const line = options.scrub(raw);
      a.bytes += Buffer.byteLength(line) + 1;
      if (a.bytes > max) {
        a.truncated = true;
        keep(a, `[tfgate: log truncated at ${max} bytes]`);
        return;
      }
      keep(a, line);
    },
    finish(jobId) {
      // Only guards against reopening a finished job's log in this process: bounded, not exact.
      if (finished.size > 10_000) finished.clear();
      finished.add(jobId);
      const a = active.get(jobId);
      if (!a) return;
      active.delete(jobId);
      a.stream.end();
      for (const f of a.followers) f.onEnd();
    },
    async read(jobId) {
      const a = active.get(jobId);
      if (a) return a.lines.map((l) => `${l}\n`).join("");
      const path = pathOf(jobId);
      if (!path) return null;
      try {
        return await readFile(path, "utf8");
      } catch {
        return null;
      }
    },
    async follow(jobId, onLine, onEnd, running) {
      // A running job that has not written yet gets its entry now, so its first line reaches us.
      const a = running ? open(jobId) : active.get(jobId);
      if (a) {
        // Synchronous replay then subscription: no line can slip in between.
        for (const l of a.lines) onLine(l);
        const follower = { onLine, onEnd };
        a.followers.add(follower);
        return () => a.followers.delete(follower);
      }
      const text = (await this.read(jobId)) ?? "";
      for (const l of text === "" ? [] : text.replace(/\n$/, "").split("\n")) onLine(l);
      onEnd();
      return () => undefined;
    },
  };
}
