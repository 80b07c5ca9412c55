import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface GitObject {
  readonly id: string;
  readonly type: string;
  readonly data: Buffer;
}

export interface ObjectReader {
  /** Reads an object by id or name (`main^{commit}`, `<sha>:<path>`); null when it does not exist. */
  read(name: string): Promise<GitObject | null>;
  close(): void;
}

interface Pending {
  readonly name: string;
  resolve(obj: GitObject | null): void;
  reject(err: Error): void;
}

/**
 * One long-lived `git cat-file --batch-command` per repository: objects are read over a pipe, with no
 * process start per read (a git process costs 10–30 ms, more than reading hundreds of objects).
 * Requests are pipelined; git answers in request order. The process is referenced only while a
 * read is pending, so an idle reader never keeps the CLI alive.
 */
export function createObjectReader(dir: string): ObjectReader {
  let child: ChildProcessByStdio<Writable, Readable, Readable> | null = null;
  // A queue with a moving head: shift() on a long array is O(n) per answer.
  let pending: Pending[] = [];
  let head = 0;
  let buffer: Buffer = Buffer.alloc(0);
  let stderr = "";

  function fail(err: Error): void {
    const waiting = pending.slice(head);
    pending = [];
    head = 0;
    child = null;
    buffer = Buffer.alloc(0);
    for (const p of waiting) p.reject(err);
  }

  function setRef(on: boolean): void {
    if (!child) return;
    for (const handle of [child, child.stdout, child.stdin, child.stderr] as { ref?(): void; unref?(): void }[]) {
      if (on) handle.ref?.();
      else handle.unref?.();
    }
  }

  /** Parses as many complete answers as the buffer holds. */
  function drain(): void {
    for (;;) {
      const nl = buffer.indexOf(10);
      if (nl < 0) return;
      const header = buffer.toString("utf8", 0, nl);
      const waiter = pending[head];
      if (!waiter) return;
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        buffer = buffer.subarray(nl + 1);
        head++;
        waiter.resolve(null);
      } else {
        const [id, type, sizeText] = header.split(" ");
        const size = Number(sizeText);
        if (!id || !type || !Number.isFinite(size)) {
          fail(new Error(`git cat-file: unexpected answer "${header}"`));
          return;
        }
        if (buffer.length < nl + 1 + size + 1) return;
        // A view, not a copy: callers decode or parse it at once.
        const data = buffer.subarray(nl + 1, nl + 1 + size);
        buffer = buffer.subarray(nl + 1 + size + 1);
        head++;
        waiter.resolve({ id, type, data });
      }
      if (head === pending.length) {
        pending = [];
        head = 0;
        setRef(false);
      }
    }
  }

  function start(): ChildProcessByStdio<Writable, Readable, Readable> {
    // --buffer with an explicit flush per burst of requests: one write from git per burst
    // instead of one per object (plain --batch flushes after every answer).
    const proc = spawn("git", ["cat-file", "--batch-command", "--buffer"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    proc.stdout.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      drain();
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    proc.on("error", (err) => fail(new Error(`git cat-file could not start in ${dir}: ${err.message}`, { cause: err })));
    proc.on("exit", (code) => {
      if (child === proc) fail(new Error(`git cat-file exited (${code ?? "signal"}) in ${dir}: ${stderr.trim()}`));
    });
    proc.stdin.on("error", () => undefined); // reported through "exit"
    return proc;
  }

  /** Requests of the current tick, written together and followed by one flush. */
  let batch: string[] = [];
  function send(): void {
    const lines = batch;
    batch = [];
    child?.stdin.write(`${lines.join("")}flush\n`);
  }

  return {
    read(name) {
      if (name.includes("\n")) return Promise.reject(new Error("object names cannot contain newlines"));
      if (!child) child = start();
      return new Promise<GitObject | null>((resolve, reject) => {
        if (pending.length === head) setRef(true);
        pending.push({ name, resolve, reject });
        if (batch.length === 0) queueMicrotask(send);
        batch.push(`contents ${name}\n`);
      });
    },
    close() {
      const proc = child;
      child = null;
      if (proc) {
        proc.stdin.end();
        proc.kill();
      }
      fail(new Error("object reader closed"));
    },
  };
}

export interface TreeEntry {
  readonly mode: string;
  readonly name: string;
  readonly id: string;
}

/** Parses a binary tree object: repeated `<mode> SP <name> NUL <raw object id>`. */
export function parseTree(data: Buffer, idBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(32, pos);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0) throw new Error("malformed tree object");
    entries.push({
      mode: data.toString("latin1", pos, space),
      name: data.toString("utf8", space + 1, nul),
      id: data.toString("hex", nul + 1, nul + 1 + idBytes),
    });
    pos = nul + 1 + idBytes;
  }
  return entries;
}
