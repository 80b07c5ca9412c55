// Bundles the CLI's start-up path (detect, plan) into dist/cli-bundle.cjs, and the entry point
// that runs it with a V8 code cache (src/cli-entry.ts) into dist/cli.js, replacing tsc's output.
// Why: loading ~330 small ESM files (execa, zod, yaml and their dependencies) costs Node about a
// quarter of a second on every `tfgate plan`; one file loads in a fraction of that, and from a
// code cache in a fraction again. CommonJS, because a code cache needs `vm.Script`, which runs
// scripts, not ES modules. Commands that are started rarely or run long (serve, demo, setup) stay
// imports of tsc's files in dist/ (through the entry's `import()`), so the server, its webhook
// process and their file-relative assets are exactly what tsc emitted.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");

const common = { bundle: true, platform: "node", target: "node20", sourcemap: true, minify: true, logLevel: "warning" };

await build({
  ...common,
  entryPoints: [join(src, "cli.ts")],
  outfile: join(root, "dist", "cli-bundle.cjs"),
  format: "cjs",
  // The HCL parser is WebAssembly loaded from its own package directory: load it from there.
  external: ["@cdktn/hcl2json"],
  define: { "import.meta.dirname": "__dirname" },
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
  ],
});

await build({
  ...common,
  entryPoints: [join(src, "cli-entry.ts")],
  outfile: join(root, "dist", "cli.js"),
  format: "esm",
});
