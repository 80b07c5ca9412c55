// Lint also enforces the layer boundaries from the architecture guide.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const noProcessEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Only src/main.ts and src/cli.ts read process.env; pass configuration in.",
};

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
    ignores: ["src/main.ts", "src/cli.ts"],
    rules: { "no-restricted-syntax": ["error", noProcessEnv] },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/adapters/terraform/**", "src/adapters/git/**"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [
          { name: "execa", message: "only adapters/terraform and adapters/git spawn processes" },
          { name: "node:child_process", message: "only adapters/terraform and adapters/git spawn processes" },
        ],
      }],
    },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "child_process", "os"], message: "domain code is pure: no I/O modules" },
          { group: ["**/adapters/**", "**/app/**", "execa", "simple-git", "better-sqlite3", "@octokit/*"], message: "domain imports nothing outside domain" },
        ],
      }],
    },
  },
);
