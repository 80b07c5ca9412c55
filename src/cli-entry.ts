#!/usr/bin/env node
/**
 * The `tfgate` command (built to dist/cli.js). It runs the bundled CLI (dist/cli-bundle.cjs,
 * see scripts/bundle-cli.mjs) with a V8 code cache for the short commands, where start-up is a
 * good part of the run, and lends the bundle its `import()`: code compiled by `vm.Script`, the
 * way a code cache is used, cannot import modules itself on Node 20.
 */
import { join } from "node:path";
import type { runCli } from "./cli.js";
import { loadBundleWithCodeCache, type CachedBundle } from "./cli/code-cache.js";
import { defaultDataDir } from "./config/default-data-dir.js";

type Cli = { runCli: typeof runCli };
const argv = process.argv.slice(2);
const command = argv[0] ?? "";
const bundlePath = join(import.meta.dirname, "cli-bundle.cjs");

/** The code cache's directory: under the data directory the command will use, as cli.ts picks it. */
function codeCacheDir(): string | null {
  // `serve`, `demo` and `setup` run for minutes: the cache would save them nothing.
  if ((command !== "plan" && command !== "detect") || process.env["TFGATE_CODE_CACHE"] === "0") return null;
  let dataDir: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === "--data-dir") dataDir = argv[i + 1];
    else if (arg.startsWith("--data-dir=")) dataDir = arg.slice("--data-dir=".length);
  });
  try {
    return join(dataDir ?? defaultDataDir(process.env), "code-cache");
  } catch {
    return null; // no home directory to default to: cli.ts reports that, if the command needs it
  }
}

let bundle: CachedBundle<Cli>;
try {
  const dir = codeCacheDir();
  bundle = loadBundleWithCodeCache<Cli>(bundlePath, dir, dir === null ? "none" : command);
} catch {
  // Whatever went wrong around the cache, the command still runs, compiled from source.
  bundle = loadBundleWithCodeCache<Cli>(bundlePath, null, "none");
}
await bundle.exports.runCli(argv, (specifier) => import(specifier));
bundle.save();
