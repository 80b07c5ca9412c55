import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBundleWithCodeCache } from "../../src/cli/code-cache.js";

describe("running the CLI bundle with a V8 code cache", () => {
  let dir: string;
  let cacheDir: string;
  let bundle: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tfgate-code-cache-"));
    cacheDir = join(dir, "cache");
    bundle = join(dir, "bundle.cjs");
    // CommonJS with a shebang, as esbuild writes it; uses require, module and __dirname.
    writeFileSync(bundle, '#!/usr/bin/env node\nconst { basename } = require("node:path");\nmodule.exports.where = () => basename(__dirname);\nmodule.exports.twice = (n) => n * 2;\n');
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  type Bundle = { where(): string; twice(n: number): number };
  const files = () => readdirSync(cacheDir).sort();

  it("compiles the first time, saves a private cache, and is served from it the next time", () => {
    const first = loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan");
    expect(first.cache).toBe("miss");
    expect(first.exports.twice(21)).toBe(42);
    expect(first.exports.where()).toBe(dir.split("/").pop());
    first.save();
    expect(files()).toHaveLength(1);
    expect(files()[0]).toMatch(/^cli-plan-[0-9a-f]{32}\.v8$/);
    expect(statSync(join(cacheDir, files()[0] as string)).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);

    const second = loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan");
    expect(second.cache).toBe("hit");
    expect(second.exports.twice(4)).toBe(8);
    // Each command has its own cache (it holds the functions that command compiled).
    expect(loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "detect").cache).toBe("miss");
  });

  it("never uses a cache made for another bundle, and replaces it", () => {
    loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan").save();
    const old = files();
    // Same length, other code: V8 alone would accept the old cache (it checks the source length).
    writeFileSync(bundle, '#!/usr/bin/env node\nconst { basename } = require("node:path");\nmodule.exports.where = () => basename(__dirname);\nmodule.exports.twice = (n) => n * 3;\n');
    const rebuilt = loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan");
    expect(rebuilt.cache).toBe("miss");
    expect(rebuilt.exports.twice(2)).toBe(6);
    rebuilt.save();
    expect(files()).toHaveLength(1);
    expect(files()).not.toEqual(old);
  });

  it("runs normally from a damaged cache, and writes a good one", () => {
    loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan").save();
    const file = join(cacheDir, files()[0] as string);
    const good = readFileSync(file);
    good.writeUInt8((good.at(-3) as number) ^ 0xff, good.length - 3); // one damaged byte: V8 itself would run it
    writeFileSync(file, good);
    const damaged = loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan");
    expect(damaged.cache).toBe("rejected");
    expect(damaged.exports.twice(5)).toBe(10);
    damaged.save();
    expect(loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan").cache).toBe("hit");
  });

  it("runs without a cache when it is off or cannot be written", () => {
    const off = loadBundleWithCodeCache<Bundle>(bundle, null, "plan");
    expect(off.cache).toBe("off");
    off.save();
    expect(off.exports.twice(1)).toBe(2);

    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o500);
    const readOnly = loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "plan");
    expect(() => readOnly.save()).not.toThrow();
    expect(readOnly.exports.twice(3)).toBe(6);
  });

  it("refuses a command name that could leave the cache directory", () => {
    expect(() => loadBundleWithCodeCache<Bundle>(bundle, cacheDir, "../x")).toThrow(/invalid command name/);
  });
});
