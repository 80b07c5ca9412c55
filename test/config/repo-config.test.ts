import { describe, expect, it } from "vitest";
import { formatConfigProblem, parseRepoConfig } from "../../src/config/repo-config.js";
import { DEFAULT_REPO_CONFIG } from "../../src/domain/projects/repo-config.js";

function problems(text: string): string[] {
  const r = parseRepoConfig(text);
  return r.ok ? [] : r.problems.map(formatConfigProblem);
}

describe("parseRepoConfig", () => {
  it("uses defaults when the file is absent or empty", () => {
    const r = parseRepoConfig(null);
    expect(r.ok && r.config.roots).toEqual(["projects/*"]);
    expect(parseRepoConfig("").ok).toBe(true);
  });

  it("fills an empty file with the domain's defaults, in fresh arrays", () => {
    const a = parseRepoConfig("{}");
    const b = parseRepoConfig("policy: {}\napply: {}\n");
    expect(a.ok && a.config).toEqual(DEFAULT_REPO_CONFIG);
    expect(b.ok && b.config).toEqual(DEFAULT_REPO_CONFIG);
    // A default shared between parses would let one repository's config leak into another's.
    expect(a.ok && b.ok && a.config.policy.tag_attributes).not.toBe(b.ok && b.config.policy.tag_attributes);
    expect(a.ok && a.config.roots).not.toBe(DEFAULT_REPO_CONFIG.roots);
  });

  it.each([
    ["an unknown key, with its line", "version: 1\nprojets: []\n", ["tfgate.yaml:2: projets: unknown key"]],
    ["an unknown nested key", "projects:\n  - name: a\n    dir: x\n    when_modfied: []\n", ["tfgate.yaml:4: projects[0].when_modfied: unknown key"]],
    ["a wrong type", "roots: projects/*\n", ["tfgate.yaml:1: roots: Invalid input: expected array, received string"]],
    ["a path leaving the repository", "projects:\n  - name: a\n    dir: ../x\n", ["tfgate.yaml:3: projects[0].dir: must be a path inside the repository"]],
    ["a workflow nobody defined", "workflows: { lint: { before_init: [fmt-check] } }\nprojects:\n  - name: a\n    dir: x\n    workflow: lnit\n", ['tfgate.yaml:5: projects[0].workflow: no workflow is named "lnit" under workflows']],
    ["validate before init", "workflows:\n  lint:\n    before_init: [validate]\n", ["tfgate.yaml:3: workflows.lint.before_init[0]: validate needs an initialised directory"]],
    ["an unknown built-in step", "workflows:\n  lint:\n    after_init: [tflint]\n", ["tfgate.yaml:3: workflows.lint.after_init[0]"]],
    ["a step timeout over an hour", "workflows:\n  lint:\n    after_init: [{ run: tflint, timeout_seconds: 7200 }]\n", ["tfgate.yaml:3: workflows.lint.after_init[0]"]],
    ["a binary tfgate does not run", "projects:\n  - name: a\n    dir: x\n    terraform_binary: terragrunt\n", ["tfgate.yaml:4: projects[0].terraform_binary"]],
    ["an env variable tfgate sets itself", "projects:\n  - name: a\n    dir: x\n    env:\n      TF_CLI_ARGS_init: -plugin-dir=.\n", ["tfgate.yaml:5: projects[0].env.TF_CLI_ARGS_init: tfgate sets this variable itself"]],
    ["an env variable that is no variable name", "projects:\n  - name: a\n    dir: x\n    env: { \"A-B\": x }\n", ["tfgate.yaml:4: projects[0].env.A-B: a variable name"]],
    ["one directory and workspace twice", "projects:\n  - name: a\n    dir: x\n    workspace: w\n  - name: b\n    dir: x\n    workspace: w\n", ['tfgate.yaml:6: projects[1].dir: another project already uses directory "x" with workspace "w"']],
    ["a workspace name with a slash", "projects:\n  - name: a\n    dir: x\n    workspace: a/b\n", ["tfgate.yaml:4: projects[0].workspace: a workspace name uses"]],
    ["an absolute var file", "projects:\n  - name: a\n    dir: x\n    var_files: [/etc/passwd]\n", ["tfgate.yaml:4: projects[0].var_files[0]: a path relative to the project directory"]],
    ["a backend config key that is no setting name", "projects:\n  - name: a\n    dir: x\n    backend_config: { values: { \"a b\": c } }\n", ["tfgate.yaml:4: projects[0].backend_config.values.a b: a backend setting name"]],
    ["a directory used twice", "projects:\n  - name: a\n    dir: x\n  - name: b\n    dir: x/\n", ['tfgate.yaml:5: projects[1].dir: another project already uses directory "x"']],
    ["an unknown apply requirement", "apply:\n  rules:\n    - projects: [a]\n      require: [tests_green]\n", ["tfgate.yaml:4: apply.rules[0].require[0]"]],
    ["an unknown approvals mode", "apply:\n  rules:\n    - projects: [a]\n      approvals: most-of\n", ["tfgate.yaml:4: apply.rules[0].approvals"]],
    ["a rule without projects", "apply:\n  rules:\n    - approver_teams: [acme/sre]\n", ["tfgate.yaml:3: apply.rules[0].projects"]],
    ["invalid YAML", "projects: [\n", ["tfgate.yaml:2: invalid YAML"]],
  ])("reports %s", (_name, text, expected) => {
    const got = problems(text);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toContain(e));
  });
});
