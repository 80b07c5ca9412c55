import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/**
 * Runs a CommonJS bundle with a V8 code cache, as Node 22's `module.enableCompileCache()` does
 * (Node 20 has no such thing). Compiling the 0.5 MB CLI bundle cost ~50 ms of every `tfgate plan`,
 * and the functions compiled lazily during the run as much again; with the cache V8 deserialises
 * the code instead.
 *
 * V8 checks little of a cache: it runs a cache made for other code of the same length, and a
 * cache with flipped bits (both tried). So the file is named after a hash of the bundle's text,
 * Node's version and the command, and starts with the SHA-256 of its contents, checked before V8
 * sees it. A cache that fails either check, or that V8 rejects (other flags), is compiled around
 * and replaced. Every failure to read or write the cache only costs the speed-up: the command
 * runs the same.
 */
export interface CachedBundle<T> {
  readonly exports: T;
  /** "hit", or why the code was compiled from source. */
  readonly cache: "hit" | "miss" | "rejected" | "off";
  /** Writes the cache when this run had none it could use (after the run: it then holds the functions the run compiled). */
  save(): void;
}

export function loadBundleWithCodeCache<T>(bundlePath: string, cacheDir: string | null, command: string): CachedBundle<T> {
  if (!/^[a-z-]+$/.test(command)) throw new Error(`code cache: invalid command name ${JSON.stringify(command)}`);
  const source = readFileSync(bundlePath, "utf8").replace(/^#!.*/, "");
  const key = createHash("sha256").update(`${process.version}\0${process.arch}\0${command}\0`).update(source).digest("hex").slice(0, 32);
  const cacheFile = cacheDir === null ? null : join(cacheDir, `cli-${command}-${key}.v8`);
  let cachedData: Buffer | undefined;
  let damaged = false;
  if (cacheFile !== null) {
    try {
      const file = readFileSync(cacheFile);
      const payload = file.subarray(DIGEST_BYTES);
      if (file.length > DIGEST_BYTES && sha256(payload).equals(file.subarray(0, DIGEST_BYTES))) cachedData = payload;
      else damaged = true;
    } catch {
      cachedData = undefined;
    }
  }
  // The wrapper CommonJS gives a module; `filename` keeps stack traces pointing at the bundle.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundlePath, cachedData });
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(bundlePath), mod, bundlePath, dirname(bundlePath));
  const cache = cacheFile === null ? "off" : damaged || script.cachedDataRejected === true ? "rejected" : cachedData === undefined ? "miss" : "hit";
  return {
    exports: mod.exports,
    cache,
    save() {
      if (cacheFile === null || cache === "hit") return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
        // Written aside and renamed: a concurrent run reads the old file or the new one, never half.
        const tmp = `${cacheFile}.${randomUUID()}.tmp`;
        const payload = script.createCachedData();
        try {
          writeFileSync(tmp, Buffer.concat([sha256(payload), payload]), { mode: 0o600 });
          renameSync(tmp, cacheFile);
        } catch (err) {
          rmSync(tmp, { force: true }); // a disk that filled up part-way keeps no half file
          throw err;
        }
        // The same command's caches for earlier builds are of no more use.
        const mine = `cli-${command}-${key}.v8`;
        for (const name of readdirSync(cacheDir as string)) {
          if (name.startsWith(`cli-${command}-`) && name.endsWith(".v8") && name !== mine) rmSync(join(cacheDir as string, name), { force: true });
        }
      } catch {
        // A read-only or full disk: the next run compiles again.
      }
    },
  };
}

const DIGEST_BYTES = 32;

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}
