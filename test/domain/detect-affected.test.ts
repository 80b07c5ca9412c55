import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/repo-config.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../src/domain/projects/repo-config.js";
import { detectAffected, type Detection } from "../../src/domain/projects/detect-affected.js";
import type { FileChange } from "../../src/domain/projects/file-change.js";
import { treeFromTexts } from "../helpers/tree-from-texts.js";

const tree = treeFromTexts;

const mod = (source: string) => `module "m" {\n  source = "${source}"\n}\n`;
const plain = `resource "terraform_data" "x" {}\n`;

/** kirare → network → labels; ortensia → network; stella-maris → labels; unused module "orphan". */
const repo: Record<string, string> = {
  "projects/kirare/main.tf": mod("../../modules/network"),
  "projects/kirare/prod.tfvars": `a = 1\n`,
  "projects/ortensia/main.tf": mod("../../modules/network"),
  "projects/ortensia/.terraform.lock.hcl": "",
  "projects/stella-maris/main.tf": mod("../../modules/labels"),
  "modules/network/main.tf": `module "labels" {\n  source = "../labels"\n}\n`,
  "modules/labels/main.tf": plain,
  "modules/labels/templates/x.tpl": "x",
  "modules/orphan/main.tf": plain,
  "modules/remote-user/main.tf": plain,
  "docs/README.md": "",
};

function detect(changes: FileChange[], opts: { head?: Record<string, string>; base?: Record<string, string>; config?: RepoConfig; symlinks?: string[] | Record<string, string> } = {}) {
  return detectAffected({
    base: tree(opts.base ?? repo),
    head: tree(opts.head ?? repo, opts.symlinks),
    changes,
    config: opts.config ?? DEFAULT_REPO_CONFIG,
  });
}

function summary(d: Detection) {
  if (d.status === "error") return { errors: d.problems.map((p) => `${p.code}: ${p.message}`) };
  return {
    projects: Object.fromEntries(d.projects.map((a) => [a.project.name, a.reasons])),
    deleted: d.deleted.map((x) => x.name),
  };
}

const m = (path: string): FileChange => ({ status: "modified", path });

describe("detectAffected", () => {
  it.each<[string, FileChange[], Record<string, string[]>]>([
    ["a file directly in a project", [m("projects/kirare/main.tf")], { kirare: ["projects/kirare/main.tf modified"] }],
    ["a tfvars file", [m("projects/kirare/prod.tfvars")], { kirare: ["projects/kirare/prod.tfvars modified"] }],
    ["the lock file", [m("projects/ortensia/.terraform.lock.hcl")], { ortensia: ["projects/ortensia/.terraform.lock.hcl modified"] }],
    ["an added file", [{ status: "added", path: "projects/stella-maris/new.tf" }], { "stella-maris": ["projects/stella-maris/new.tf added"] }],
    ["a deleted file", [{ status: "deleted", path: "projects/kirare/prod.tfvars" }], { kirare: ["projects/kirare/prod.tfvars deleted"] }],
    [
      "a module used directly and through another module (transitive)",
      [m("modules/labels/main.tf")],
      {
        kirare: ["module modules/labels changed (modules/labels/main.tf modified) via projects/kirare → modules/network → modules/labels"],
        ortensia: ["module modules/labels changed (modules/labels/main.tf modified) via projects/ortensia → modules/network → modules/labels"],
        "stella-maris": ["module modules/labels changed (modules/labels/main.tf modified) via projects/stella-maris → modules/labels"],
      },
    ],
    [
      "a non-HCL file inside a module directory",
      [m("modules/labels/templates/x.tpl")],
      {
        kirare: ["module modules/labels changed (modules/labels/templates/x.tpl modified) via projects/kirare → modules/network → modules/labels"],
        ortensia: ["module modules/labels changed (modules/labels/templates/x.tpl modified) via projects/ortensia → modules/network → modules/labels"],
        "stella-maris": ["module modules/labels changed (modules/labels/templates/x.tpl modified) via projects/stella-maris → modules/labels"],
      },
    ],
    ["a changed module used by nothing", [m("modules/orphan/main.tf")], {}],
    ["a file outside every project and module", [m("docs/README.md")], {}],
    [
      "a rename between projects (both sides)",
      [{ status: "renamed", from: "projects/kirare/prod.tfvars", path: "projects/ortensia/prod.tfvars" }],
      {
        kirare: ["projects/kirare/prod.tfvars renamed to projects/ortensia/prod.tfvars"],
        ortensia: ["projects/kirare/prod.tfvars renamed to projects/ortensia/prod.tfvars"],
      },
    ],
  ])("%s", (_name, changes, projects) => {
    expect(summary(detect(changes))).toEqual({ projects, deleted: [] });
  });

  it("reports deleted projects separately", () => {
    const head = { ...repo };
    delete head["projects/ortensia/main.tf"];
    delete head["projects/ortensia/.terraform.lock.hcl"];
    const d = detect([{ status: "deleted", path: "projects/ortensia/main.tf" }, { status: "deleted", path: "projects/ortensia/.terraform.lock.hcl" }], { head });
    expect(summary(d)).toEqual({ projects: {}, deleted: ["ortensia"] });
  });

  it("ignores registry and remote module sources", () => {
    const head = { ...repo, "projects/kirare/main.tf": `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\nmodule "g" {\n  source = "git::https://example.com/x.git"\n}\n` };
    expect(summary(detect([m("modules/network/main.tf")], { head, base: head }))).toEqual({
      projects: { ortensia: ["module modules/network changed (modules/network/main.tf modified) via projects/ortensia → modules/network"] },
      deleted: [],
    });
  });

  it("reports a tfgate.yaml change and files that affect nothing", () => {
    const d = detect([m("tfgate.yaml"), m("docs/README.md")]);
    expect(d.status === "ok" && d.configChanged).toBe(true);
    expect(d.status === "ok" && d.untouched).toEqual(["docs/README.md"]);
  });

  it("honours explicit projects, when_modified globs and custom roots", () => {
    const parsed = parseRepoConfig(
      `roots: ["stacks/*/*"]\nprojects:\n  - name: edge\n    dir: special/edge\n    when_modified: ["../../shared/*.json"]\n    depends_on: [eu/prod]\n`,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const files = { "stacks/eu/prod/main.tf": plain, "special/edge/main.tf": plain, "shared/ips.json": "{}", "projects/kirare/main.tf": plain };
    const d = detect([m("shared/ips.json"), m("stacks/eu/prod/main.tf"), m("projects/kirare/main.tf")], { head: files, base: files, config: parsed.config });
    expect(summary(d)).toEqual({
      projects: { edge: ["shared/ips.json modified (when_modified)"], "eu/prod": ["stacks/eu/prod/main.tf modified"] },
      deleted: [],
    });
  });

  it.each<[string, Record<string, string>, string[], string]>([
    ["a module source escaping the repository", { "projects/a/main.tf": mod("../../../outside") }, [], "module-escapes-repo: projects/a/main.tf:2: module \"m\" source \"../../../outside\" points outside the repository"],
    [
      "a module cycle",
      { "projects/a/main.tf": mod("../../modules/x"), "modules/x/main.tf": mod("../y"), "modules/y/main.tf": mod("../x") },
      [],
      "module-cycle: module cycle: modules/x → modules/y → modules/x (calls at modules/x/main.tf:2, modules/y/main.tf:2)",
    ],
    ["invalid HCL in a project", { "projects/a/main.tf": `resource "a" "b" {\n  x = "open\n}\n` }, [], "invalid-hcl: projects/a/main.tf:2: unterminated string"],
    ["a symlinked project directory", { "projects/a/main.tf": plain }, ["projects/b"], "symlinked-project: projects/b is a symbolic link"],
    ["a symlinked configuration file in a project", { "projects/a/main.tf": plain }, ["projects/a/extra.tf"], "symlinked-config: projects/a/extra.tf is a symbolic link"],
  ])("rejects %s with a clear error", (_name, files, symlinks, error) => {
    const d = detect([m("projects/a/main.tf")], { head: files, base: files, symlinks });
    const s = summary(d);
    expect(s.errors?.[0]).toContain(error);
  });

  it("matches a root written literally even when it reads as a glob", () => {
    const parsed = parseRepoConfig(`roots: ["stacks/(legacy)", "live/*"]\n`);
    if (!parsed.ok) throw new Error("config");
    const files = { "stacks/(legacy)/main.tf": plain, "stacks/(legacy)-x/main.tf": plain, "live/eu/main.tf": plain, "docs/x.tf.md": "" };
    const d = detect([m("stacks/(legacy)/main.tf"), m("live/eu/main.tf")], { head: files, base: files, config: parsed.config });
    // Found as a project directory (whose name is then refused: see misnamed-project.test.ts).
    expect(summary(d).errors).toEqual([expect.stringContaining(`invalid-project-name: project directory "stacks/(legacy)" has a name`)]);
    expect(summary(detect([m("live/eu/main.tf")], { head: files, base: files, config: parsed.config }))).toEqual({ projects: { eu: ["live/eu/main.tf modified"] }, deleted: [] });
  });

  it("lets a link that is no project's configuration be", () => {
    const d = detect([m("docs/README.md")], { symlinks: ["docs/example.tf", "projects/kirare/notes.md"] });
    expect(d.status).toBe("ok");
  });

  it("does not fail on a broken file that no project reaches", () => {
    const files = { ...repo, "modules/broken/main.tf": `locals {\n` };
    expect(detect([m("modules/broken/main.tf")], { head: files, base: files }).status).toBe("ok");
  });

  describe("reads only around the change", () => {
    const via = (module: string, chain: string) => `module ${module} changed (${module}/main.tf modified) via ${chain}`;

    it("is not blocked by a broken project or module cycle the change does not reach", () => {
      const files = {
        ...repo,
        "projects/broken/main.tf": mod("../../../outside"),
        "projects/cyclic/main.tf": mod("../../modules/x"),
        "modules/x/main.tf": mod("../y"),
        "modules/y/main.tf": mod("../x"),
      };
      expect(summary(detect([m("projects/kirare/prod.tfvars")], { head: files, base: files }))).toEqual({
        projects: { kirare: ["projects/kirare/prod.tfvars modified"] },
        deleted: [],
      });
      // The same problems block a change that does reach them.
      expect(summary(detect([m("modules/y/main.tf")], { head: files, base: files })).errors?.[0]).toContain("module-cycle");
    });

    it("is blocked by a file that may call the changed module but cannot be scanned", () => {
      const files = { ...repo, "projects/zeta/main.tf": `${mod("../../modules/labels")}locals {
` };
      expect(summary(detect([m("modules/labels/main.tf")], { head: files, base: files }))).toEqual({
        errors: [
          "invalid-hcl: projects/zeta/main.tf:4: unclosed block \"locals\": missing } (tfgate cannot parse this file, and must, to tell whether it calls the changed module modules/labels (and so which projects the change affects); fix the file)",
        ],
      });
    });

    it("scans only the files that may call a changed directory, and the affected projects' configuration", () => {
      const scanned: string[] = [];
      const head = treeFromTexts(repo, [], scanned);
      detectAffected({ base: head, head, changes: [m("projects/stella-maris/main.tf")], config: DEFAULT_REPO_CONFIG });
      expect(scanned.sort()).toEqual(["modules/labels/main.tf", "projects/stella-maris/main.tf"]);
      scanned.length = 0;
      detectAffected({ base: head, head: treeFromTexts(repo, [], scanned), changes: [m("modules/orphan/main.tf")], config: DEFAULT_REPO_CONFIG });
      expect(scanned).toEqual([]);
    });

    it("affects the callers of a module the change deletes, or turns into links", () => {
      const head = { ...repo };
      delete head["modules/labels/main.tf"];
      const d = detect([{ status: "deleted", path: "modules/labels/main.tf" }], { head });
      expect(Object.keys(summary(d).projects ?? {}).sort()).toEqual(["kirare", "ortensia", "stella-maris"]);
      const linked = detect([m("modules/labels/main.tf")], { head, base: head, symlinks: { "modules/labels/main.tf": "../orphan/main.tf" } });
      expect(Object.keys(summary(linked).projects ?? {}).sort()).toEqual(["kirare", "ortensia", "stella-maris"]);
    });

    it.each<[string, Record<string, string>, string, Record<string, string[]>]>([
      [
        "a source of dots only, from inside the module",
        { "projects/p/main.tf": mod("../../modules/net/sub"), "modules/net/main.tf": plain, "modules/net/sub/main.tf": mod("..") },
        "modules/net",
        { p: [via("modules/net", "projects/p → modules/net/sub → modules/net")] },
      ],
      [
        "JSON configuration",
        { "projects/j/main.tf.json": `{"module": {"m": {"source": "../../modules/net"}}}`, "modules/net/main.tf": plain },
        "modules/net",
        { j: [via("modules/net", "projects/j → modules/net")] },
      ],
      [
        "a source written with an escape",
        { "projects/e/main.tf": mod("../../modules/\\vnet"), "modules/vnet/main.tf": plain },
        "modules/vnet",
        { e: [via("modules/vnet", "projects/e → modules/vnet")] },
      ],
    ])("finds a caller through %s", (_name, files, module, projects) => {
      expect(summary(detect([m(`${module}/main.tf`)], { head: files, base: files }))).toEqual({ projects, deleted: [] });
    });
  });
});
