// Bundles the CLI's start-up path (detect, plan) into dist/cli.js, replacing tsc's output there.
// Why: loading ~330 small ESM files (execa, zod, yaml and their dependencies) costs Node about a
// quarter of a second on every `tfgate plan`; one file loads in a fraction of that. Commands that
// are started rarely or run long (serve, demo, setup) stay dynamic imports of tsc's files in dist/,
// so the server, its worker thread and their file-relative assets are exactly what tsc emitted.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");

await build({
  entryPoints: [join(src, "cli.ts")],
  outfile: join(root, "dist", "cli.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  minify: true,
  logLevel: "warning",
  // The HCL parser is WebAssembly loaded from its own package directory: load it from there.
  external: ["@cdktf/hcl2json"],
  // Some bundled CommonJS packages call require(): give the ESM bundle one.
  banner: { js: 'import { createRequire as __tfgateCreateRequire } from "node:module"; const require = __tfgateCreateRequire(import.meta.url);' },
  plugins: [
    {
      // zod's `z.locales` namespace pulls every language's messages (a third of the bundle);
      // tfgate's messages are English, the default zod configures for itself.
      name: "zod-english-messages-only",
      setup(b) {
        b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
          args.importer.includes(`${join("node_modules", "zod")}`) ? { path: "zod-locales-en", namespace: "tfgate" } : undefined,
        );
        b.onLoad({ filter: /^zod-locales-en$/, namespace: "tfgate" }, () => ({
          contents: `export { default as en } from ${JSON.stringify(join(root, "node_modules", "zod", "v4", "locales", "en.js"))};`,
          resolveDir: root,
        }));
      },
    },
    {
      name: "keep-dynamic-imports-of-tfgate-modules",
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, (args) =>
          args.kind === "dynamic-import" && args.importer.startsWith(src) ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});
