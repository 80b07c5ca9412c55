import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/repo-config.js";
import { REPO_CONFIG_JSON_SCHEMA_FILE, formatRepoConfigJsonSchema, repoConfigJsonSchema } from "../../src/config/repo-config-json-schema.js";
import { repoRoot } from "../helpers/repo-root.js";

const root = repoRoot();

/** The README's example, taken from the README itself so the two cannot drift apart. */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Repository configuration"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("README.md: no yaml block under 'Repository configuration'");
  return block[1];
}

// Configurations the suite writes into its test repositories (there is no tfgate.yaml file in
// this repository to read), plus the smallest ones.
const samples: Record<string, string> = {
  "an empty mapping": "{}\n",
  "only the version (cli-detect test)": "version: 1\n",
  "stacks with an explicit project (detect-affected test)":
    'roots: ["stacks/*/*"]\nprojects:\n  - name: edge\n    dir: special/edge\n    when_modified: ["../../shared/*.json"]\n    depends_on: [prod]\n',
  "depends_on and automerge (apply-gate-rules test)":
    "version: 1\nprojects:\n  - name: app\n    dir: projects/app\n    depends_on: [net]\napply:\n  automerge: true\n",
  "per-project apply rules": 'apply:\n  require: [mergeable]\n  rules:\n    - projects: ["payments/*"]\n      approver_teams: [acme/sre, acme/payments]\n      approvals: all-of\n      require: [up_to_date_with_base, checks_passing]\n',
  "every policy setting": "policy:\n  tag_key: Owner\n  tag_attributes: [labels]\n  unknown_tag_values: warning\n",
};

const mistakes: Record<string, string> = {
  "a typo'd top-level key": "version: 1\nprojets: []\n",
  "a typo'd project key": "projects:\n  - name: a\n    dir: x\n    when_modfied: []\n",
  "a typo'd apply key": "apply:\n  automerg: true\n",
  "a directory leaving the repository": "projects:\n  - name: a\n    dir: ../x\n",
  "an absolute directory": "projects:\n  - name: a\n    dir: /etc\n",
  "a project without dir": "projects:\n  - name: a\n",
  "an unknown version": "version: 2\n",
  "an unknown severity": "policy:\n  unknown_tag_values: warn\n",
  "a team without org": "apply:\n  approver_teams: [sre]\n",
  "roots as a string": "roots: projects/*\n",
  "an unknown apply requirement": "apply:\n  require: [tests_green]\n",
  "an unknown approvals mode": 'apply:\n  rules:\n    - projects: ["a"]\n      approvals: most-of\n',
  "a rule without projects": "apply:\n  rules:\n    - approver_teams: [acme/sre]\n",
};

function validator() {
  // strict: unknown keywords in the generated schema would be an error, not silently ignored.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(repoConfigJsonSchema());
}

describe("schema/tfgate.schema.json", () => {
  it("is what the zod schema generates (run `npm run schema` when this fails)", () => {
    const committed = readFileSync(join(root, REPO_CONFIG_JSON_SCHEMA_FILE), "utf8");
    expect(committed, `${REPO_CONFIG_JSON_SCHEMA_FILE} is stale: run \`npm run schema\` and commit the result`).toBe(formatRepoConfigJsonSchema());
  });

  it("identifies itself and describes every key, so editors have tooltips", () => {
    const schema = repoConfigJsonSchema();
    expect(schema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", title: "tfgate.yaml", additionalProperties: false });
    expect(String(schema["$id"])).toMatch(/^urn:tfgate:/);
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== "object" || node === null) return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      for (const [key, child] of Object.entries(props ?? {})) {
        if (typeof (child as { description?: unknown }).description !== "string") undocumented.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
      walk((node as { items?: unknown }).items, `${path.replace(/\.$/, "")}[].`);
    };
    walk(schema, "");
    expect(undocumented).toEqual([]);
  });

  it("accepts the README's example, and tfgate accepts it too", () => {
    const text = readmeExample();
    const validate = validator();
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(parseRepoConfig(text).ok).toBe(true);
  });

  it.each(Object.entries(samples))("accepts %s, as tfgate does", (_name, text) => {
    const validate = validator();
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(parseRepoConfig(text).ok).toBe(true);
  });

  it.each(Object.entries(mistakes))("rejects %s, as tfgate does", (_name, text) => {
    expect(validator()(parse(text))).toBe(false);
    expect(parseRepoConfig(text).ok).toBe(false);
  });

  it("names the typo'd key the way editors will show it", () => {
    const validate = validator();
    validate(parse("version: 1\nprojets: []\n"));
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: "additionalProperties", params: { additionalProperty: "projets" } }));
  });

  it("leaves to tfgate what JSON Schema cannot say: unique project directories", () => {
    const text = "projects:\n  - name: a\n    dir: x\n  - name: b\n    dir: x\n";
    expect(validator()(parse(text))).toBe(true);
    expect(parseRepoConfig(text).ok).toBe(false);
  });
});
