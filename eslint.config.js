// Lint also enforces the layer boundaries from the architecture guide.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Every way to reach the environment: process.env in any position (a spread included),
// process["env"], globalThis.process.env, `const { env } = process`, and node:process's env
// (named, or through a default or namespace import).
const processModule = "ImportDeclaration[source.value=/^(node:)?process$/]";
const noProcessEnv = [
  "MemberExpression[object.name='process'][property.name='env']",
  "MemberExpression[object.name='process'][property.value='env']",
  "MemberExpression[object.property.name='process'][property.name='env']",
  "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
  `${processModule} > ImportSpecifier[imported.name='env']`,
  `${processModule} > ImportDefaultSpecifier`,
  `${processModule} > ImportNamespaceSpecifier`,
].map((selector) => ({
  selector,
  message: "Only the composition roots (src/main.ts, src/cli.ts, src/cli-entry.ts) read process.env; pass configuration in.",
}));

/**
 * The boundary rules cannot be switched off in a comment: run-git.ts once spread process.env
 * into git's environment under an `eslint-disable-next-line`. A file that needs an exception is
 * listed in this config, where review sees it.
 */
const boundaryRules = ["no-restricted-syntax", "no-restricted-imports"];
const noBoundaryDisable = {
  meta: { type: "problem", schema: [] },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          if (!/^\s*eslint-disable/.test(comment.value)) continue;
          const named = boundaryRules.filter((r) => comment.value.includes(r));
          const all = /^\s*eslint-disable(-next-line|-line)?\s*(--.*)?$/.test(comment.value);
          if (named.length > 0 || all) {
            context.report({ loc: comment.loc, message: `the layer boundaries (${boundaryRules.join(", ")}) are not disabled in comments; change the code or eslint.config.js` });
          }
        }
      },
    };
  },
};

const spawnBan = (name) => ({ name, message: "only adapters/runner (every tofu process, sandboxed) and adapters/git spawn processes (and webhook-process-server.ts starts the webhook process)" });
const octokitBan = { group: ["@octokit/*"], message: "only adapters/github (and the simulated GitHub) talk to GitHub" };
// A second store backend must not mean editing callers: they open a StoreLocation (adapters/store/open-store.ts).
const sqliteBan = {
  group: ["better-sqlite3", "**/store/sqlite-store*", "**/store/*-repository*", "**/store/migrations*"],
  message: "only adapters/store (and its tests) name SQLite; open a store with openStore(location) from adapters/store/open-store.ts",
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".toolchain/**", "coverage/**", "schema/**", ".bench-build/**", ".data/**", "bench-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { tfgate: { rules: { "no-boundary-disable": noBoundaryDisable } } },
    rules: {
      "tfgate/no-boundary-disable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/main.ts", "src/cli.ts", "src/cli-entry.ts"],
    rules: { "no-restricted-syntax": ["error", ...noProcessEnv] },
  },
  // Who may import what. Flat config replaces a rule per block, so each group lists all its bans.
  {
    files: ["src/**/*.ts"],
    ignores: ["src/adapters/runner/**", "src/adapters/git/**", "src/adapters/github/**", "src/simulator/**", "src/adapters/http/webhook-process-server.ts", "src/adapters/store/**"],
    rules: { "no-restricted-imports": ["error", { paths: [spawnBan("execa"), spawnBan("node:child_process")], patterns: [octokitBan, sqliteBan] }] },
  },
  {
    files: ["src/adapters/store/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [spawnBan("execa"), spawnBan("node:child_process")], patterns: [octokitBan] }] },
  },
  {
    files: ["src/adapters/runner/**/*.ts", "src/adapters/git/**/*.ts", "src/adapters/http/webhook-process-server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [octokitBan, sqliteBan] }] },
  },
  {
    files: ["src/adapters/github/**/*.ts", "src/simulator/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [spawnBan("execa"), spawnBan("node:child_process")], patterns: [sqliteBan] }] },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    ignores: ["test/store/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [sqliteBan] }] },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "child_process", "os"], message: "domain code is pure: no I/O modules" },
          { group: ["**/adapters/**", "**/app/**", "execa", "better-sqlite3", "@octokit/*"], message: "domain imports nothing outside domain" },
          { group: ["**/config/**"], message: "config parses into the domain's types (e.g. domain/projects/repo-config.ts), never the reverse: domain must not import config/" },
        ],
      }],
    },
  },
);
