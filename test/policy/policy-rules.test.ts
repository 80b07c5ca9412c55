import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isPolicyFile, loadPolicyRules } from "../../src/config/policy-rules.js";

const root = join(import.meta.dirname, "..", "..");

describe("loadPolicyRules", () => {
  it("reads the shipped default policy into the built-in rule's configuration", () => {
    const text = readFileSync(join(root, "policies", "project-tag.yaml"), "utf8");
    expect(loadPolicyRules([{ path: "policies/project-tag.yaml", text }])).toEqual({
      ok: true,
      rules: [
        {
          id: "project-tag",
          kind: "project-tag",
          description: "Every taggable resource carries the Project tag naming its project.",
          file: "policies/project-tag.yaml",
          line: 15,
          scope: { include: ["*"], exclude: [] },
          severity: "error",
        },
      ],
    });
  });

  it("reads the example rules", () => {
    const text = readFileSync(join(root, "policies", "examples", "team-rules.yaml"), "utf8");
    const result = loadPolicyRules([{ path: "policies/team-rules.yaml", text }]);
    expect(result.ok && result.rules.map((r) => [r.id, r.kind])).toEqual([
      ["environment-tag", "required-tags"],
      ["no-unmanaged-servers", "denied-resource-types"],
      ["blast-radius", "change-limits"],
    ]);
    expect(result.ok && result.rules[0]).toMatchObject({
      scope: { include: ["*-prod", "kirare"], exclude: [] },
      resourceTypes: ["hcloud_*"],
      tags: [
        { key: "Environment", match: { kind: "one-of", values: ["production", "staging"] } },
        { key: "CostCenter", match: { kind: "pattern", pattern: "cc-[0-9]{4}" } },
      ],
    });
    expect(result.ok && result.rules[2]).toMatchObject({ maxDestroys: 5, maxReplaces: 10 });
  });

  it("no files: no rules (the built-in Project tag rule still applies)", () => {
    expect(loadPolicyRules([])).toEqual({ ok: true, rules: [] });
  });

  it("names file, key and line of an unknown key", () => {
    const text = ["rules:", "  - id: tags", "    kind: project-tag", "    colour: blue", ""].join("\n");
    expect(loadPolicyRules([{ path: "policies/a.yaml", text }])).toEqual({
      ok: false,
      errors: [{ file: "policies/a.yaml", key: "rules[0].colour", line: 4, message: "unknown key" }],
    });
  });

  it("names file, key and line of invalid values, kinds, patterns and duplicate ids", () => {
    const a = [
      "version: 1",
      "rules:",
      "  - id: one",
      "    kind: max-cost",
      "  - id: two",
      "    kind: change-limits",
      "    max_destroys: -1",
      "  - id: three",
      "    kind: required-tags",
      "    tags:",
      "      - key: Env",
      "        pattern: 'a('",
      "  - id: four",
      "    kind: required-tags",
      "    tags:",
      "      - key: Env",
      "        pattern: x",
      "        allowed_values: [x]",
      "  - id: five",
      "    kind: change-limits",
      "",
    ].join("\n");
    const result = loadPolicyRules([{ path: "policies/a.yaml", text: a }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.file, e.key, e.line])).toEqual([
      ["policies/a.yaml", "rules[0].kind", 4],
      ["policies/a.yaml", "rules[1].max_destroys", 7],
      ["policies/a.yaml", "rules[3].tags[0].pattern", 17],
      ["policies/a.yaml", "rules[4].max_destroys", 19],
    ]);
    // The regex error needs the schema to pass first (it is a second pass).
    const b = ["rules:", "  - id: three", "    kind: required-tags", "    tags:", "      - key: Env", "        pattern: 'a('", ""].join("\n");
    const regex = loadPolicyRules([{ path: "policies/b.yaml", text: b }]);
    expect(!regex.ok && regex.errors.map((e) => [e.key, e.line])).toEqual([["rules[0].tags[0].pattern", 6]]);
    expect(!regex.ok && regex.errors[0]?.message).toMatch(/^invalid regular expression: /);

    const dup = (path: string) => ({ path, text: "rules:\n  - id: same\n    kind: denied-resource-types\n    types: [x]\n" });
    expect(loadPolicyRules([dup("policies/z.yaml"), dup("policies/y.yaml")])).toEqual({
      ok: false,
      errors: [{ file: "policies/z.yaml", key: "rules[0].id", line: 2, message: 'duplicate rule id "same" (also at policies/y.yaml:2)' }],
    });
  });

  it("fails closed on broken YAML, empty files and top-level mistakes", () => {
    expect(loadPolicyRules([{ path: "policies/c.yaml", text: "rules: [\n" }])).toMatchObject({ ok: false, errors: [{ file: "policies/c.yaml", key: "" }] });
    expect(loadPolicyRules([{ path: "policies/d.yaml", text: "# all commented out\n" }])).toEqual({
      ok: false,
      errors: [{ file: "policies/d.yaml", key: "", line: null, message: "empty policy file: write `rules: []` or delete the file" }],
    });
    expect(loadPolicyRules([{ path: "policies/e.yaml", text: "rule:\n  - id: x\n" }])).toEqual({
      ok: false,
      errors: [
        { file: "policies/e.yaml", key: "rules", line: 1, message: "Invalid input: expected array, received undefined" },
        { file: "policies/e.yaml", key: "rule", line: 1, message: "unknown key" },
      ],
    });
    expect(loadPolicyRules([{ path: "policies/f.yaml", text: "version: 2\nrules: []\n" }])).toMatchObject({
      ok: false,
      errors: [{ file: "policies/f.yaml", key: "version", line: 1 }],
    });
  });

  it("recognises policy files directly in policies/", () => {
    expect(["policies/a.yaml", "policies/b.yml", "policies/examples/c.yaml", "policies/README.md", "x/policies/a.yaml"].filter(isPolicyFile)).toEqual([
      "policies/a.yaml",
      "policies/b.yml",
    ]);
  });
});
