import { describe, expect, it } from "vitest";
import { DEFAULT_REPO_CONFIG } from "../../src/domain/projects/repo-config.js";
import { detectAffected } from "../../src/domain/projects/detect-affected.js";
import { DEFAULT_RUN_SETTINGS } from "../../src/domain/projects/discover-projects.js";
import { findEscapingLinks } from "../../src/domain/projects/escaping-links.js";
import type { FileChange } from "../../src/domain/projects/file-change.js";
import { resolveLink } from "../../src/domain/projects/resolve-link.js";
import { treeFromTexts } from "../helpers/tree-from-texts.js";

const mod = (source: string) => `module "m" {\n  source = "${source}"\n}\n`;
const plain = `resource "terraform_data" "x" {}\n`;

/** a → modules/net → modules/labels; b calls nothing. */
const files: Record<string, string> = {
  "projects/a/main.tf": mod("../../modules/net"),
  "projects/b/main.tf": plain,
  "modules/net/main.tf": mod("../labels"),
  "modules/labels/main.tf": plain,
  "shared/common.tfvars": "x = 1\n",
  "shared/files/ok.txt": "ok\n",
};

const m = (path: string): FileChange => ({ status: "modified", path });

function detect(changes: FileChange[], links: Record<string, string>) {
  const tree = treeFromTexts(files, links);
  const d = detectAffected({ base: tree, head: tree, changes, config: DEFAULT_REPO_CONFIG });
  return d.status === "error" ? { errors: d.problems.map((p) => `${p.code}: ${p.message}`) } : { projects: d.projects.map((p) => p.project.name) };
}

describe("links leaving the repository", () => {
  it.each<[string, Record<string, string>, FileChange[], string[]]>([
    [
      "an absolute target, whatever the file's name",
      { "projects/a/terraform.tfvars": "/proc/self/environ" },
      [m("projects/a/main.tf")],
      ['projects/a/terraform.tfvars is a symbolic link to "/proc/self/environ", which leads outside the repository; it is in project "a" (projects/a)'],
    ],
    [
      "a relative target climbing above the root, in a subdirectory",
      { "projects/a/files/key.pem": "../../../../etc/ssl/private/key.pem" },
      [m("projects/a/main.tf")],
      ['projects/a/files/key.pem is a symbolic link to "../../../../etc/ssl/private/key.pem", which leads outside the repository; it is in project "a" (projects/a)'],
    ],
    [
      "a link in a module of the closure (the change is in the project)",
      { "modules/labels/templates/t.tpl": "/etc/passwd" },
      [m("projects/a/main.tf")],
      ['modules/labels/templates/t.tpl is a symbolic link to "/etc/passwd", which leads outside the repository; project "a" reaches it through projects/a → modules/net → modules/labels'],
    ],
    [
      "a chain of links inside the repository that ends outside",
      { "projects/a/vars.tfvars": "../../shared/link.tfvars", "shared/link.tfvars": "/proc/self/environ" },
      [m("projects/a/main.tf")],
      ['projects/a/vars.tfvars is a symbolic link to "../../shared/link.tfvars", which leads outside the repository, through shared/link.tfvars → "/proc/self/environ"'],
    ],
    [
      "a directory link whose contents lead outside",
      { "projects/a/files": "../../shared/linked", "shared/linked/env": "/proc/self/environ" },
      [m("projects/a/main.tf")],
      ['shared/linked/env is a symbolic link to "/proc/self/environ", which leads outside the repository; project "a" (projects/a) reaches it through a link inside the repository'],
    ],
    [
      "a target going through a linked directory that leaves",
      { "shared/etc": "/etc", "projects/a/passwd": "../../shared/etc/passwd" },
      [m("projects/a/main.tf")],
      ['projects/a/passwd is a symbolic link to "../../shared/etc/passwd", which leads outside the repository, through shared/etc → "/etc"'],
    ],
    [
      "a loop of links (tfgate cannot tell where it leads)",
      { "projects/a/x": "y", "projects/a/y": "x" },
      [m("projects/a/main.tf")],
      ["projects/a/x is a symbolic link tfgate cannot resolve (more than 40 links in a row)", "projects/a/y is a symbolic link tfgate cannot resolve"],
    ],
  ])("refuses %s", (_name, links, changes, messages) => {
    const errors = detect(changes, links).errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const [i, message] of messages.entries()) {
      expect(errors[i]).toContain(`symlink-escapes-repo: ${message}`);
      expect(errors[i]).toContain("Make it a regular file, or a link to a path inside the repository.");
    }
  });

  it.each<[string, Record<string, string>]>([
    ["a shared .tfvars", { "projects/a/common.auto.tfvars": "../../shared/common.tfvars" }],
    ["a link to a directory inside the repository", { "projects/a/files": "../../shared/files" }],
    ["a dangling link that stays inside", { "projects/a/gone.txt": "../../shared/nothing-here" }],
    ["a target that climbs and comes back", { "modules/labels/x.json": "../../modules/../shared/./common.tfvars" }],
    ["a link no planned project reads", { "projects/b/terraform.tfvars": "/proc/self/environ", "docs/env": "/proc/self/environ" }],
  ])("allows %s", (_name, links) => {
    expect(detect([m("projects/a/main.tf")], links)).toEqual({ projects: ["a"] });
  });

  it("lets a link in an unaffected project not block, and blocks the change that reaches it", () => {
    const links = { "projects/b/terraform.tfvars": "/proc/self/environ" };
    expect(detect([m("projects/a/main.tf")], links)).toEqual({ projects: ["a"] });
    expect(detect([m("projects/b/main.tf")], links).errors).toEqual([expect.stringContaining('it is in project "b" (projects/b)')]);
    // A change to a module blocks the projects reaching the link through it.
    const inModule = { "modules/labels/env": "/proc/self/environ" };
    expect(detect([m("modules/labels/main.tf")], inModule).errors?.[0]).toContain('project "a" reaches it through projects/a → modules/net → modules/labels');
    expect(detect([m("projects/b/main.tf")], inModule)).toEqual({ projects: ["b"] });
  });

  it("names every project reaching one link once", () => {
    const tree = treeFromTexts({ ...files, "projects/c/main.tf": mod("../../modules/labels") }, { "modules/labels/env": "/proc/self/environ" });
    const projects = ["a", "c"].map((name) => ({ name, dir: `projects/${name}`, whenModified: [], dependsOn: [], run: DEFAULT_RUN_SETTINGS, inputs: [] }));
    const problems = findEscapingLinks(tree, projects);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('project "a" reaches it through projects/a → modules/net → modules/labels; also reached by project "c".');
  });

  it("refuses a link whose target the tree does not know (fail closed)", () => {
    const tree = treeFromTexts(files, ["projects/a/unknown"]);
    const problems = findEscapingLinks(tree, [{ name: "a", dir: "projects/a", whenModified: [], dependsOn: [], run: DEFAULT_RUN_SETTINGS, inputs: [] }]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("projects/a/unknown is a symbolic link whose target tfgate could not read")]);
  });

  it("quotes a target on one line", () => {
    const errors = detect([m("projects/a/main.tf")], { "projects/a/x": "/tmp/a\nb" }).errors ?? [];
    expect(errors[0]).toContain('to "/tmp/a\\nb"');
    expect(errors[0]).not.toContain("\n");
  });
});

describe("resolveLink", () => {
  const links: Record<string, string> = { "a/up": "..", "a/root": "../..", "b/abs": "/x", "c/d": "../a/up/b/abs" };
  const tree = { linkTarget: (p: string) => links[p] ?? null };
  const isLink = (p: string) => p in links;
  it.each<[string, unknown]>([
    ["a/up", { status: "inside", path: "" }],
    ["a/root", { status: "outside", link: "a/root", target: "../.." }],
    ["b/abs", { status: "outside", link: "b/abs", target: "/x" }],
    ["c/d", { status: "outside", link: "b/abs", target: "/x" }],
    ["a/up/a/up/b", { status: "inside", path: "b" }],
  ])("%s", (path, expected) => {
    expect(resolveLink(tree, isLink, path)).toEqual(expected);
  });
});
