import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/repo-config.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../src/domain/projects/repo-config.js";
import { detectAffected, type Detection } from "../../src/domain/projects/detect-affected.js";
import { discoverProjects } from "../../src/domain/projects/discover-projects.js";
import type { FileChange } from "../../src/domain/projects/file-change.js";
import { isProjectName, projectFileName } from "../../src/domain/projects/project-name.js";
import { parseCommands } from "../../src/domain/commands/parse-commands.js";
import { treeFromTexts } from "../helpers/tree-from-texts.js";

const plain = `resource "terraform_data" "x" {}\n`;
const m = (path: string): FileChange => ({ status: "modified", path });
const d = (path: string): FileChange => ({ status: "deleted", path });
const config = (yaml: string): RepoConfig => {
  const parsed = parseRepoConfig(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
};
const detect = (files: Record<string, string>, changes: FileChange[], repoConfig: RepoConfig, head = files) =>
  detectAffected({ base: treeFromTexts(files), head: treeFromTexts(head), changes, config: repoConfig });
const outcome = (r: Detection) => (r.status === "ok" ? r.projects.map((a) => a.project.name) : r.problems.map((p) => p.message));

describe("names from paths: a discovered project is named by its directory below its root glob's fixed part", () => {
  const envs = { "projects/app1/prod/main.tf": plain, "projects/app2/prod/main.tf": plain, "projects/app1/staging/main.tf": plain, "README.md": "hi" };
  const nested = config('roots: ["projects/*/*"]\n');

  it("projects/*/* over app1/prod and app2/prod: two projects, neither named by its basename", () => {
    expect(discoverProjects(treeFromTexts(envs), nested).projects.map((p) => [p.name, p.dir])).toEqual([
      ["app1/prod", "projects/app1/prod"],
      ["app1/staging", "projects/app1/staging"],
      ["app2/prod", "projects/app2/prod"],
    ]);
    expect(outcome(detect(envs, [m("projects/app1/prod/main.tf"), m("projects/app2/prod/main.tf")], nested))).toEqual(["app1/prod", "app2/prod"]);
    expect(outcome(detect(envs, [m("README.md")], nested))).toEqual([]);
  });

  it("keeps the old names where the root has one wildcard part, and names a literal root by its basename", () => {
    const files = { "projects/kirare/main.tf": plain, "infra/core/main.tf": plain, "envs/eu/web/main.tf": plain };
    const names = discoverProjects(treeFromTexts(files), config('roots: ["projects/*", "infra/core", "*/eu/*"]\n')).projects.map((p) => p.name);
    expect(names).toEqual(["core", "envs/eu/web", "kirare"]);
  });

  it("names with '/' are project names for commands, the store and files; '..' parts and empty parts are not", () => {
    expect(["app1/prod", "a/b.c/d_e-f", "kirare"].every(isProjectName)).toBe(true);
    expect(["app1//prod", "/prod", "prod/", "a/../b", "a/./b", "../x", "a/.hidden", `${"a/".repeat(100)}b`].some(isProjectName)).toBe(false);
    expect(projectFileName("app1/prod")).toBe("app1%2Fprod");
    expect(projectFileName("kirare")).toBe("kirare");
    expect(parseCommands("/plan app1/prod app2/prod", [{ name: "plan", takesProjects: true }])).toEqual([{ kind: "plan", projects: ["app1/prod", "app2/prod"], line: 1 }]);
  });

  it("two roots finding the same name: a clear error naming both, only for a change that touches one of them", () => {
    const files = { "projects/prod/main.tf": plain, "envs/prod/main.tf": plain, "projects/ok/main.tf": plain, "README.md": "hi" };
    const two = config('roots: ["projects/*", "envs/*"]\n');
    expect(outcome(detect(files, [m("README.md"), m("projects/ok/main.tf")], two))).toEqual(["ok"]);
    const [message, ...rest] = outcome(detect(files, [m("envs/prod/main.tf")], two));
    expect(rest).toEqual([]);
    expect(message).toContain('two projects are named "prod" ("envs/prod" and "projects/prod")');
    expect(message).toContain("tfgate.yaml");
  });

  it("two explicit entries with one name: tfgate.yaml is valid, and only changes to those projects are refused", () => {
    const files = { "a/main.tf": plain, "b/main.tf": plain, "c/main.tf": plain };
    const explicit = config("roots: []\nprojects:\n  - name: net\n    dir: a\n  - name: net\n    dir: b\n  - name: c\n    dir: c\n");
    expect(outcome(detect(files, [m("c/main.tf")], explicit))).toEqual(["c"]);
    expect(outcome(detect(files, [m("b/main.tf")], explicit)).join()).toContain('two projects are named "net" ("a" and "b")');
  });

  it("a project at the repository root (dir: \".\") matches the files beside tfgate.yaml, and a nested project keeps its own", () => {
    const files = { "main.tf": plain, "variables.tf": plain, "projects/kirare/main.tf": plain, "tfgate.yaml": "" };
    const root = config('projects:\n  - name: root\n    dir: "."\n');
    expect(discoverProjects(treeFromTexts(files), root).projects.map((p) => [p.name, p.dir])).toEqual([
      ["kirare", "projects/kirare"],
      ["root", ""],
    ]);
    expect(outcome(detect(files, [m("main.tf")], root))).toEqual(["root"]);
    expect(outcome(detect(files, [m("projects/kirare/main.tf")], root))).toEqual(["kirare"]);
    expect(outcome(detect(files, [m("./variables.tf".slice(2))], config('projects:\n  - name: root\n    dir: ./\n')))).toEqual(["root"]);
  });

  it("a roots glob that matches no directory is reported as a warning, not silently ignored", () => {
    const files = { "projects/kirare/main.tf": plain };
    const typo = config('roots: ["projcts/*", "projects/*"]\n');
    const r = detect(files, [m("projects/kirare/main.tf")], typo);
    expect(r.status === "ok" && r.warnings).toEqual(['roots: "projcts/*" matches no directory of the repository, so it finds no project (a typo?)']);
    expect(discoverProjects(treeFromTexts(files), DEFAULT_REPO_CONFIG).warnings).toEqual([]);
  });

  it("a nested project deleted or moved is reported deleted, not charged to the project around it", () => {
    const base = { "projects/a/main.tf": plain, "projects/a/nested/main.tf": plain };
    const both = config('roots: ["projects/*", "projects/*/*"]\n');
    const deleted = detect(base, [d("projects/a/nested/main.tf")], both, { "projects/a/main.tf": plain });
    expect(deleted.status === "ok" && { planned: deleted.projects.map((p) => p.project.name), deleted: deleted.deleted }).toEqual({
      planned: [],
      deleted: [{ name: "a/nested", dir: "projects/a/nested" }],
    });
    const moved = detect(base, [{ status: "renamed", from: "projects/a/nested/main.tf", path: "projects/b/main.tf" }], both, { "projects/a/main.tf": plain, "projects/b/main.tf": plain });
    expect(moved.status === "ok" && { planned: moved.projects.map((p) => p.project.name), deleted: moved.deleted.map((x) => x.name) }).toEqual({ planned: ["b"], deleted: ["a/nested"] });
  });
});

describe("an unparsable file blocks only the changes it may matter to", () => {
  const files = {
    "projects/web/main.tf": `module "net" {\n  source = "../../modules/net"\n}\n`,
    "projects/assets/main.tf": `resource "aws_s3_object" "o" {\n  source = "\${path.module}/x.zip"\n}\nlocals {\n`,
    "modules/net/main.tf": plain,
    "docs/README.md": "hi",
  };

  it("a README edit is not blocked by a broken file whose only `source` is an object's interpolated one", () => {
    expect(outcome(detect(files, [m("docs/README.md")], DEFAULT_REPO_CONFIG))).toEqual([]);
    // A module change is: that file may hold a module whose source OpenTofu evaluates (fail closed), and the message says so.
    const [message] = outcome(detect(files, [m("modules/net/main.tf")], DEFAULT_REPO_CONFIG));
    expect(message).toContain("projects/assets/main.tf:");
    expect(message).toContain("to tell whether it calls the changed module modules/net");
  });

  it("a valid file with an object's interpolated source affects nothing; a module with an interpolated source is affected by every module change", () => {
    const valid = { ...files, "projects/assets/main.tf": `resource "aws_s3_object" "o" {\n  source = "\${path.module}/x.zip"\n}\n` };
    expect(outcome(detect(valid, [m("modules/net/main.tf")], DEFAULT_REPO_CONFIG))).toEqual(["web"]);
    const dynamic = { ...valid, "projects/app/main.tf": `locals {\n  mod = "shared"\n}\nmodule "m" {\n  source = "../../modules/\${local.mod}"\n}\n`, "modules/shared/main.tf": plain };
    const r = detect(dynamic, [m("modules/shared/main.tf")], DEFAULT_REPO_CONFIG);
    expect(outcome(r)).toEqual(["app"]);
    expect(r.status === "ok" && r.projects[0]?.reasons).toEqual(["module modules/shared changed (modules/shared/main.tf modified) via projects/app → modules/shared"]);
    expect(r.status === "ok" && r.warnings.join()).toContain('module "m" has a non-literal source; tfgate counts it as a call of every local module');
  });

  it("a broken file that may call the changed module blocks it, and the message says why the file matters", () => {
    const broken = { ...files, "projects/assets/main.tf": `module "m" {\n  source = "../../modules/net"\n}\nlocals {\n` };
    const [message, ...rest] = outcome(detect(broken, [m("modules/net/main.tf")], DEFAULT_REPO_CONFIG));
    expect(rest).toEqual([]);
    expect(message).toMatch(/^projects\/assets\/main\.tf:\d+: .*\(tfgate cannot parse this file, and must, to tell whether it calls the changed module modules\/net/);
    expect(outcome(detect(broken, [m("docs/README.md")], DEFAULT_REPO_CONFIG))).toEqual([]);
  });

  it("a README edit is never blocked by a file whose sources cannot be told from its bytes", () => {
    const unclear = { ...files, "projects/assets/main.tf": `module "m" {\n  source /* c */ = "../../modules/x"\n}\nlocals {\n` };
    expect(outcome(detect(unclear, [m("docs/README.md")], DEFAULT_REPO_CONFIG))).toEqual([]);
  });
});

describe("run settings in detection", () => {
  const files = {
    "projects/web/main.tf": plain,
    "projects/web/blue.tfvars": "",
    "projects/web/green.tfvars": "",
    "projects/web/terraform.tfvars": "",
    "shared/common.tfvars": "",
    "shared/prod.s3.tfbackend": "",
  };
  const yaml = [
    "projects:",
    "  - { name: blue, dir: projects/web, workspace: blue, var_files: [blue.tfvars, ../../shared/common.tfvars] }",
    "  - { name: green, dir: projects/web, workspace: green, var_files: [green.tfvars], backend_config: { files: [../../shared/prod.s3.tfbackend] } }",
    "",
  ].join("\n");

  it("two workspaces of one directory are two projects; a var file or backend file anywhere affects exactly the projects naming it", () => {
    const c = config(yaml);
    expect(discoverProjects(treeFromTexts(files), c).projects.map((p) => [p.name, p.run.workspace])).toEqual([
      ["blue", "blue"],
      ["green", "green"],
    ]);
    expect(outcome(detect(files, [m("projects/web/blue.tfvars")], c))).toEqual(["blue"]);
    expect(outcome(detect(files, [m("shared/common.tfvars")], c))).toEqual(["blue"]);
    expect(outcome(detect(files, [m("shared/prod.s3.tfbackend")], c))).toEqual(["green"]);
    // Auto-loaded and configuration files are read by every workspace.
    expect(outcome(detect(files, [m("projects/web/terraform.tfvars")], c))).toEqual(["blue", "green"]);
    expect(outcome(detect(files, [m("projects/web/main.tf")], c))).toEqual(["blue", "green"]);
    const r = detect(files, [m("shared/common.tfvars")], c);
    expect(r.status === "ok" && r.projects[0]?.reasons).toEqual(["shared/common.tfvars modified (a var file of the project)"]);
  });

  it("a var file the pull request turns into a link leaving the repository is refused, wherever the file is", () => {
    const c = config(yaml);
    const { "shared/common.tfvars": _gone, ...rest } = files;
    const head = treeFromTexts(rest, { "shared/common.tfvars": "/proc/self/environ" });
    const r = detectAffected({ base: treeFromTexts(files), head, changes: [{ status: "type-changed", path: "shared/common.tfvars", link: true }], config: c });
    expect(r.status).toBe("error");
    const message = r.status === "error" ? (r.problems[0]?.message ?? "") : "";
    expect(message).toContain('shared/common.tfvars is a symbolic link to "/proc/self/environ", which leads outside the repository');
    expect(message).toContain("projects/web → var file shared/common.tfvars");
  });

  it("a var file outside the repository is a clear error", () => {
    const c = config("projects:\n  - { name: a, dir: projects/web, var_files: [../../../x.tfvars] }\n");
    expect(outcome(detect(files, [m("projects/web/main.tf")], c))).toEqual(['project "a": the var file "../../../x.tfvars" is not a file inside the repository']);
  });
});
