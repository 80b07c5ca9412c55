import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/repo-config.js";
import { DEFAULT_REPO_CONFIG } from "../../src/domain/projects/repo-config.js";
import { detectAffected, type Detection } from "../../src/domain/projects/detect-affected.js";
import { discoverProjects } from "../../src/domain/projects/discover-projects.js";
import type { FileChange } from "../../src/domain/projects/file-change.js";
import { treeFromTexts } from "../helpers/tree-from-texts.js";

const plain = `resource "terraform_data" "x" {}\n`;
const HOSTILE = "<img src=x onerror=alert(1)>";
const files: Record<string, string> = {
  "projects/kirare/main.tf": `module "m" {\n  source = "../../modules/net"\n}\n`,
  [`projects/${HOSTILE}/main.tf`]: `module "m" {\n  source = "../../modules/net"\n}\n`,
  "projects/ok/main.tf": plain,
  "modules/net/main.tf": plain,
};
const m = (path: string): FileChange => ({ status: "modified", path });
const detect = (changes: FileChange[], head = files) => detectAffected({ base: treeFromTexts(files), head: treeFromTexts(head), changes, config: DEFAULT_REPO_CONFIG });
const names = (d: Detection) => (d.status === "ok" ? d.projects.map((a) => a.project.name) : d.problems.map((p) => p.code));

describe("project directories whose name cannot be a project name", () => {
  it("are not projects, and are listed as misnamed", () => {
    const d = discoverProjects(treeFromTexts(files), DEFAULT_REPO_CONFIG);
    expect(d.projects.map((p) => p.name)).toEqual(["kirare", "ok"]);
    expect(d.problems).toEqual([]);
    expect(d.misnamed.map((x) => x.dir)).toEqual([`projects/${HOSTILE}`]);
  });

  it.each<[string, FileChange[], string[]]>([
    ["a change inside it", [m(`projects/${HOSTILE}/main.tf`), m("projects/ok/main.tf")], ["invalid-project-name"]],
    ["a change to a module it calls", [m("modules/net/main.tf")], ["invalid-project-name"]],
    ["a change elsewhere (it is on the default branch already)", [m("projects/ok/main.tf")], ["ok"]],
  ])("block %s", (_name, changes, expected) => {
    expect(names(detect(changes))).toEqual(expected);
  });

  it("are named in the problem quoted, with the rule and the way out", () => {
    const d = detect([m(`projects/${HOSTILE}/main.tf`)]);
    expect(d.status).toBe("error");
    const message = d.status === "error" ? (d.problems[0]?.message ?? "") : "";
    expect(message).toContain(`project directory "projects/${HOSTILE}" has a name tfgate cannot use`);
    expect(message).toContain("letters, digits");
    expect(message).toContain("tfgate.yaml");
  });

  it("escapes control and direction characters and cuts long names in the message", () => {
    const bidi = "a\u202eb\u0007c";
    const long = `x${"y".repeat(300)}`;
    const tree = { [`projects/${bidi}/main.tf`]: plain, [`projects/-${long}/main.tf`]: plain };
    const problems = discoverProjects(treeFromTexts(tree), DEFAULT_REPO_CONFIG).misnamed.map((x) => x.problem.message);
    expect(problems.join("\n")).toContain(String.raw`"projects/a\u202eb\u0007c"`);
    expect(problems.join("\n")).not.toContain("\u202e");
    expect(problems.join("\n")).not.toContain("\u0007");
    expect(problems.join("\n")).toContain("y…\"");
  });

  it("a name over 200 characters is refused like any other, and the store's rule agrees", () => {
    const d = discoverProjects(treeFromTexts({ [`projects/${"a".repeat(201)}/main.tf`]: plain, [`projects/${"b".repeat(200)}/main.tf`]: plain }), DEFAULT_REPO_CONFIG);
    expect(d.projects.map((p) => p.name.length)).toEqual([200]);
    expect(d.misnamed).toHaveLength(1);
  });

  it("tfgate.yaml can give such a directory a usable name", () => {
    const parsed = parseRepoConfig(`version: 1\nprojects:\n  - name: img\n    dir: "projects/${HOSTILE}"\n`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const d = detectAffected({ base: treeFromTexts(files), head: treeFromTexts(files), changes: [m(`projects/${HOSTILE}/main.tf`)], config: parsed.config });
    expect(names(d)).toEqual(["img"]);
  });
});
