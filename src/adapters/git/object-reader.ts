import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { gitEnvironment, type GitBaseEnv } from "./run-git.js";

export interface GitObject {
  readonly id: string;
  readonly type: string;
  readonly data: Buffer;
}

export interface ObjectReader {
  /** Reads an object by id or name (`main^{commit}`, `<sha>:<path>`); null when it does not exist. */
  read(name: string): Promise<GitObject | null>;
  /**
   * The UTF-8 texts of many blobs, in order; null for a name that is missing or not a blob.
   * One promise and no Buffer per object: reading every configuration file of a 5,000-project
   * monorepo spent more time in per-object bookkeeping than git spent reading.
   */
  readTexts(names: readonly string[]): Promise<(string | null)[]>;
  /**
   * Hands each blob's bytes to `onBlob` as soon as they arrive, in order, keeping none: the caller
   * works (e.g. searches them) while git is still reading the next objects, in its own process.
   * The bytes are a view the caller may keep; null for a name that is missing or not a blob.
   */
  eachBlob(names: readonly string[], onBlob: (index: number, data: Buffer | null) => void): Promise<void>;
  close(): void;
}

interface Many {
  readonly texts: (string | null)[];
  readonly onBlob?: (index: number, data: Buffer | null) => void;
  remaining: number;
  resolve(texts: (string | null)[]): void;
  reject(err: Error): void;
}

/** One request in flight: a single object, or slot `index` of a readTexts call. */
type Pending =
  | { readonly one: true; resolve(obj: GitObject | null): void; reject(err: Error): void }
  | { readonly one: false; readonly many: Many; readonly index: number };

const BLOB = Buffer.from("blob");

/**
 * One long-lived `git cat-file --batch-command` per repository: objects are read over a pipe, with no
 * process start per read (a git process costs 10–30 ms, more than reading hundreds of objects).
 * Requests are pipelined; git answers in request order. The process is referenced only while a
 * read is pending, so an idle reader never keeps the CLI alive.
 */
export function createObjectReader(dir: string, baseEnv: GitBaseEnv): ObjectReader {
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
    const rejected = new Set<Many>();
    for (const p of waiting) {
      if (p.one) p.reject(err);
      else if (!rejected.has(p.many)) {
        rejected.add(p.many);
        p.many.reject(err);
      }
    }
  }

  function setRef(on: boolean): void {
    if (!child) return;
    for (const handle of [child, child.stdout, child.stdin, child.stderr] as { ref?(): void; unref?(): void }[]) {
      if (on) handle.ref?.();
      else handle.unref?.();
    }
  }

  function settle(waiter: Pending, obj: GitObject | null, data: Buffer | null): void {
    if (waiter.one) {
      waiter.resolve(obj);
      return;
    }
    const { many } = waiter;
    if (many.remaining <= 0) return; // its callback failed: the rest of its answers are skipped
    if (many.onBlob) {
      try {
        many.onBlob(waiter.index, data);
      } catch (err) {
        // The callback's failure is this call's, not the reader's: later answers still parse.
        many.remaining = 0;
        many.reject(err as Error);
        return;
      }
    } else many.texts[waiter.index] = data === null ? null : data.toString("utf8");
    if (--many.remaining === 0) many.resolve(many.texts);
  }

  /**
   * Parses as many complete answers as the buffer holds: "<id> SP <type> SP <size> LF <data> LF",
   * or "<name> SP missing|ambiguous LF". Works on the bytes at an offset, slicing once at the end.
   */
  function drain(): void {
    let pos = 0;
    for (;;) {
      const waiter = pending[head];
      if (!waiter) break;
      const nl = buffer.indexOf(10, pos);
      if (nl < 0) break;
      const lastSpace = buffer.lastIndexOf(32, nl);
      let size = 0;
      let digits = lastSpace > pos;
      for (let i = lastSpace + 1; i < nl && digits; i++) {
        const c = buffer[i] as number;
        if (c < 48 || c > 57) digits = false;
        else size = size * 10 + (c - 48);
      }
      if (!digits) {
        const header = buffer.toString("utf8", pos, nl);
        if (!header.endsWith(" missing") && !header.endsWith(" ambiguous")) {
          fail(new Error(`git cat-file: unexpected answer "${header}"`));
          return;
        }
        pos = nl + 1;
        head++;
        settle(waiter, null, null);
      } else {
        const start = nl + 1;
        if (buffer.length < start + size + 1) break;
        const firstSpace = buffer.indexOf(32, pos);
        if (waiter.one) {
          // A copy-free view: callers decode or parse it at once.
          const obj = { id: buffer.toString("latin1", pos, firstSpace), type: buffer.toString("latin1", firstSpace + 1, lastSpace), data: buffer.subarray(start, start + size) };
          head++;
          settle(waiter, obj, null);
        } else {
          const isBlob = lastSpace - firstSpace - 1 === BLOB.length && buffer.compare(BLOB, 0, BLOB.length, firstSpace + 1, lastSpace) === 0;
          head++;
          settle(waiter, null, isBlob ? buffer.subarray(start, start + size) : null);
        }
        pos = start + size + 1;
      }
      if (head === pending.length) {
        pending = [];
        head = 0;
        setRef(false);
      }
    }
    if (pos > 0) buffer = buffer.subarray(pos);
  }

  function start(): ChildProcessByStdio<Writable, Readable, Readable> {
    // --buffer with an explicit flush per burst of requests: one write from git per burst
    // instead of one per object (plain --batch flushes after every answer).
    const proc = spawn("git", ["cat-file", "--batch-command", "--buffer"], { cwd: dir, env: gitEnvironment(baseEnv), stdio: ["pipe", "pipe", "pipe"] });
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

  function request(name: string, waiter: Pending): void {
    if (!child) child = start();
    if (pending.length === head) setRef(true);
    pending.push(waiter);
    if (batch.length === 0) queueMicrotask(send);
    batch.push(`contents ${name}\n`);
  }

  function readMany(names: readonly string[], texts: (string | null)[], onBlob?: Many["onBlob"]): Promise<(string | null)[]> {
    if (names.length === 0) return Promise.resolve(texts);
    if (names.some((n) => n.includes("\n"))) return Promise.reject(new Error("object names cannot contain newlines"));
    return new Promise<(string | null)[]>((resolve, reject) => {
      const many: Many = { texts, onBlob, remaining: names.length, resolve, reject };
      names.forEach((name, index) => request(name, { one: false, many, index }));
    });
  }

  return {
    read(name) {
      if (name.includes("\n")) return Promise.reject(new Error("object names cannot contain newlines"));
      return new Promise<GitObject | null>((resolve, reject) => request(name, { one: true, resolve, reject }));
    },
    readTexts(names) {
      return readMany(names, new Array<string | null>(names.length).fill(null));
    },
    async eachBlob(names, onBlob) {
      await readMany(names, [], onBlob);
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
