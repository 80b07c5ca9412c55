// Lint also enforces the layer boundaries from the architecture guide.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const noProcessEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Only the composition roots (src/main.ts, src/cli.ts, src/cli-entry.ts) read process.env; pass configuration in.",
};

const spawnBan = (name) => ({ name, message: "only adapters/runner (every tofu process, sandboxed) and adapters/git spawn processes (and webhook-process-server.ts starts the webhook process)" });
const octokitBan = { group: ["@octokit/*"], message: "only adapters/github (and the simulated GitHub) talk to GitHub" };

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".toolchain/**", "coverage/**", "schema/**", ".bench-build/**", ".data/**", "bench-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/main.ts", "src/cli.ts", "src/cli-entry.ts"],
    rules: { "no-restricted-syntax": ["error", noProcessEnv] },
  },
  // Who may import what. Flat config replaces a rule per block, so each group lists all its bans.
  {
    files: ["src/**/*.ts"],
    ignores: ["src/adapters/runner/**", "src/adapters/git/**", "src/adapters/github/**", "src/simulator/**", "src/adapters/http/webhook-process-server.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [spawnBan("execa"), spawnBan("node:child_process")], patterns: [octokitBan] }] },
  },
  {
    files: ["src/adapters/runner/**/*.ts", "src/adapters/git/**/*.ts", "src/adapters/http/webhook-process-server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [octokitBan] }] },
  },
  {
    files: ["src/adapters/github/**/*.ts", "src/simulator/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [spawnBan("execa"), spawnBan("node:child_process")] }] },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "child_process", "os"], message: "domain code is pure: no I/O modules" },
          { group: ["**/adapters/**", "**/app/**", "execa", "simple-git", "better-sqlite3", "@octokit/*"], message: "domain imports nothing outside domain" },
          { group: ["**/config/**"], message: "config parses into the domain's types (e.g. domain/projects/repo-config.ts), never the reverse: domain must not import config/" },
        ],
      }],
    },
  },
);
