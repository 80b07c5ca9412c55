#!/usr/bin/env node
/**
 * The `tfgate` command (built to dist/cli.js). It runs the bundled CLI (dist/cli-bundle.cjs,
 * see scripts/bundle-cli.mjs) with a V8 code cache for the short commands, where start-up is a
 * good part of the run, and lends the bundle its `import()`: code compiled by `vm.Script`, the
 * way a code cache is used, cannot import modules itself on Node 20.
 */
import { join } from "node:path";
import type { runCli } from "./cli.js";
import { loadBundleWithCodeCache } from "./cli/code-cache.js";
import { defaultDataDir } from "./config/default-data-dir.js";

const command = process.argv[2] ?? "";
const env = process.env;
// `serve`, `demo` and `setup` run for minutes: the cache would save them nothing.
const cacheDir = (command === "plan" || command === "detect") && env["TFGATE_CODE_CACHE"] !== "0" ? join(defaultDataDir(env), "code-cache") : null;
const bundle = loadBundleWithCodeCache<{ runCli: typeof runCli }>(join(import.meta.dirname, "cli-bundle.cjs"), cacheDir, cacheDir === null ? "none" : command);
await bundle.exports.runCli(process.argv.slice(2), (specifier) => import(specifier));
bundle.save();
