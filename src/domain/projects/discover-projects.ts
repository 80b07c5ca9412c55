import picomatch from "picomatch";
import { DEFAULT_WORKSPACE, NO_BACKEND_CONFIG, type BackendConfig, type ProjectConfig, type RepoConfig, type TerraformBinaryName } from "./repo-config.js";
import { compareText } from "../compare-text.js";
import { basenameOf, dirnameOf, joinInsideRepo } from "../paths.js";
import { isProjectName, PROJECT_NAME_RULE } from "./project-name.js";
import { isConfigFile, type RepoTree } from "./repo-tree.js";
import { EMPTY_WORKFLOW, type Workflow } from "./workflow.js";

export interface Project {
  readonly name: string;
  /** Repository-relative, `/` separators, no trailing slash. */
  readonly dir: string;
  /** Extra globs, relative to the repository root, whose changes affect the project. */
  readonly whenModified: readonly string[];
  readonly dependsOn: readonly string[];
  /** How its steps run: workspace, var files, backend config, environment. */
  readonly run: RunSettings;
  /** The files its steps read besides its directory (var files, backend config files), repository-relative. */
  readonly inputs: readonly { readonly path: string; readonly kind: "var file" | "backend config file" }[];
}

/** What a project's tofu steps are given, from its tfgate.yaml entry. */
export interface RunSettings {
  readonly workspace: string;
  /** As written: relative to the project directory (tofu resolves them from there). */
  readonly varFiles: readonly string[];
  readonly backendConfig: BackendConfig;
  readonly env: Readonly<Record<string, string>>;
  /** Steps around init, plan and apply; the workflow's name for the summary. */
  readonly workflow: Workflow;
  readonly workflowName: string | null;
  /** `tofu` or `terraform`; null: the server's default binary. */
  readonly binary: TerraformBinaryName | null;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = Object.freeze({
  workspace: DEFAULT_WORKSPACE,
  varFiles: Object.freeze([]),
  backendConfig: NO_BACKEND_CONFIG,
  env: Object.freeze({}),
  workflow: EMPTY_WORKFLOW,
  workflowName: null,
  binary: null,
});

/** The settings of a project that names no workflow of its own: the file's default workflow, if any. */
function defaultSettings(config: RepoConfig): RunSettings {
  const name = config.workflow;
  return name === undefined ? DEFAULT_RUN_SETTINGS : { ...DEFAULT_RUN_SETTINGS, workflow: config.workflows[name] ?? EMPTY_WORKFLOW, workflowName: name };
}

export interface DiscoveryProblem {
  readonly code: "symlinked-project" | "symlinked-config" | "invalid-config" | "invalid-project-name" | "duplicate-project-name";
  readonly message: string;
}

export interface Discovery {
  readonly projects: readonly Project[];
  readonly problems: readonly DiscoveryProblem[];
  /**
   * Project directories whose name cannot be used: not a project name (`projects/<img src=x>`),
   * or a name two projects share. Not projects, and a problem only for a change that touches
   * them (detectAffected), so one such directory on the default branch does not block every
   * pull request.
   */
  readonly misnamed: readonly MisnamedProject[];
  /** `roots` globs that match no directory of the tree: most likely a typo that turns detection off. */
  readonly warnings: readonly string[];
}

export interface MisnamedProject {
  readonly dir: string;
  readonly problem: DiscoveryProblem & { readonly code: "invalid-project-name" | "duplicate-project-name" };
}

/** `./a/b/` → `a/b`; `.` (the repository root) → "". */
function stripSlash(dir: string): string {
  const stripped = dir.replace(/^(\.\/+)+/, "").replace(/\/+$/, "");
  return stripped === "." ? "" : stripped;
}

interface Root {
  readonly glob: string;
  readonly re: RegExp;
  /** The glob's fixed leading directories (`projects` when the rest is wildcards); null for a glob without wildcards. */
  readonly base: string | null;
}

/**
 * A discovered project's name: its directory below the fixed prefix of the root glob that found
 * it (the root `projects/` + two wildcard parts finds `projects/app1/prod`, named `app1/prod`), so
 * two environments called `prod` never collide. A root naming one directory names the project by
 * its basename.
 */
function nameUnder(root: Root, dir: string): string {
  if (root.base === null) return basenameOf(dir);
  if (root.base === "") return dir;
  return dir.startsWith(`${root.base}/`) ? dir.slice(root.base.length + 1) : basenameOf(dir);
}

/** The directories of a tree: every ancestor of a file or link, the root ("") excluded. */
function directoriesOf(tree: RepoTree): Set<string> {
  const dirs = new Set<string>();
  for (const path of [...tree.files, ...tree.symlinks]) {
    for (let d = dirnameOf(path); d !== "" && !dirs.has(d); d = dirnameOf(d)) dirs.add(d);
  }
  return dirs;
}

/** Resolves a `when_modified` glob written relative to the project directory. */
function rootedGlob(dir: string, glob: string): string {
  const parts = dir === "" ? [] : dir.split("/");
  let rest = glob;
  while (rest.startsWith("../")) {
    parts.pop();
    rest = rest.slice(3);
  }
  if (rest.startsWith("./")) rest = rest.slice(2);
  return [...parts, rest].join("/");
}

/**
 * Finds the projects of a tree: each directory matching a `roots` glob that directly holds
 * `*.tf`/`*.tofu` files, plus the projects declared in `tfgate.yaml` (which win on the same dir).
 */
export function discoverProjects(tree: RepoTree, config: RepoConfig): Discovery {
  const problems: DiscoveryProblem[] = [];
  const configDirs = new Set<string>();
  for (const f of tree.files) if (isConfigFile(f)) configDirs.add(dirnameOf(f));

  // Compiled regular expressions: picomatch's matcher function costs a few microseconds per call,
  // and a monorepo has thousands of directories to test.
  // A root equal to the directory matches whatever it holds, as picomatch's matcher does.
  const roots: Root[] = config.roots.map((g) => {
    const glob = stripSlash(g);
    const scan = picomatch.scan(glob);
    return { glob, re: picomatch.makeRe(glob, { dot: false }), base: scan.isGlob ? stripSlash(scan.base) : null };
  });
  const rootOf = (dir: string) => roots.find((r) => dir === r.glob || r.re.test(dir));
  const isRoot = (dir: string) => rootOf(dir) !== undefined;
  const byDir = new Map<string, Project[]>();

  const isProjectDir = (dir: string) => (dir !== "" && isRoot(dir)) || config.projects.some((p) => stripSlash(p.dir) === dir);
  for (const link of tree.symlinks) {
    if (isProjectDir(link)) {
      problems.push({
        code: "symlinked-project",
        message: `${link} is a symbolic link; tfgate does not follow symlinked project directories (the link could point outside the repository or alias another project). Make it a real directory.`,
      });
    } else if (isConfigFile(link) && isProjectDir(dirnameOf(link))) {
      // tofu would read the file the link points to, which detection neither sees nor follows.
      problems.push({
        code: "symlinked-config",
        message: `${link} is a symbolic link; tfgate does not follow symlinked configuration files (the link could point outside the repository, and tfgate could not see which modules it calls). Make it a regular file.`,
      });
    }
  }

  for (const dir of configDirs) {
    const root = dir === "" ? undefined : rootOf(dir);
    if (root) byDir.set(dir, [{ name: nameUnder(root, dir), dir, whenModified: [], dependsOn: [], run: defaultSettings(config), inputs: [] }]);
  }

  // Explicit entries replace what roots found in their directory; entries sharing a directory
  // (one per workspace) are each a project.
  const explicitDirs = new Set<string>();
  for (const p of config.projects) {
    const dir = stripSlash(p.dir);
    if (!configDirs.has(dir)) continue; // absent at this ref: the caller decides (deleted or unknown)
    const project = explicitProject(p, dir, config);
    if ("problem" in project) {
      problems.push(project.problem);
      continue;
    }
    byDir.set(dir, [...(explicitDirs.has(dir) ? (byDir.get(dir) ?? []) : []), project]);
    explicitDirs.add(dir);
  }

  const byName = new Map<string, Project[]>();
  const misnamed: MisnamedProject[] = [];
  for (const project of [...byDir.values()].flat()) {
    // Only a discovered directory's name can be anything (tfgate.yaml's names are checked).
    if (!isProjectName(project.name)) {
      misnamed.push({
        dir: project.dir,
        problem: {
          code: "invalid-project-name",
          message: `project directory ${quoted(project.dir)} has a name tfgate cannot use (${PROJECT_NAME_RULE}): the name goes into commit statuses, locks and commands. Rename the directory, or name the project in tfgate.yaml on the default branch (projects: - name: …, dir: …).`,
        },
      });
      continue;
    }
    byName.set(project.name, [...(byName.get(project.name) ?? []), project]);
  }
  // A name two projects share blocks only the changes that touch one of them.
  const usable = new Map<string, Project>();
  for (const [name, same] of byName) {
    if (same.length === 1) {
      usable.set(name, same[0] as Project);
      continue;
    }
    const dirs = same.map((p) => quoted(p.dir === "" ? "." : p.dir)).sort(compareText).join(" and ");
    const message = `two projects are named "${name}" (${dirs}): statuses, locks and commands could not tell them apart, so neither is planned. Give each a distinct name in tfgate.yaml on the default branch (projects: - name: …, dir: …).`;
    for (const p of same) misnamed.push({ dir: p.dir, problem: { code: "duplicate-project-name", message } });
  }
  for (const project of usable.values()) {
    for (const dep of project.dependsOn) {
      if (!usable.has(dep) && !byName.has(dep)) {
        problems.push({ code: "invalid-config", message: `project "${project.name}" depends_on "${dep}", which is not a project` });
      }
    }
  }
  const dirs = directoriesOf(tree);
  const warnings = roots
    .filter((r) => (r.base === null ? !dirs.has(r.glob) : ![...dirs].some((d) => r.re.test(d))))
    .map((r) => `roots: "${r.glob === "" ? "." : r.glob}" matches no directory of the repository, so it finds no project (a typo?)`);
  const projects = [...usable.values()].sort((a, b) => compareText(a.name, b.name));
  return { projects, problems, misnamed, warnings };
}

/**
 * A path from the pull request, quoted for a message read in a terminal or on GitHub: control and
 * direction-changing characters escaped, and long paths cut (a path can be kilobytes long).
 */
function quoted(path: string): string {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return JSON.stringify(shown).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The projects owning a path: those of the deepest project directory containing it (one per workspace). */
export function createProjectLookup<P extends { readonly dir: string }>(projects: readonly P[]): (path: string) => readonly P[] {
  const byDir = new Map<string, P[]>();
  for (const p of projects) byDir.set(p.dir, [...(byDir.get(p.dir) ?? []), p]);
  return (path) => {
    for (let d = dirnameOf(path); ; d = dirnameOf(d)) {
      const found = byDir.get(d);
      if (found) return found;
      if (d === "") return [];
    }
  };
}

/** A tfgate.yaml entry as a project; a problem when a file it names leaves the repository. */
function explicitProject(p: ProjectConfig, dir: string, config: RepoConfig): Project | { readonly problem: DiscoveryProblem } {
  const inputs: { path: string; kind: "var file" | "backend config file" }[] = [];
  const files = [...p.var_files.map((f) => ({ f, kind: "var file" as const })), ...p.backend_config.files.map((f) => ({ f, kind: "backend config file" as const }))];
  for (const { f, kind } of files) {
    const path = joinInsideRepo(dir, f);
    if (path === null || path === "") return { problem: { code: "invalid-config", message: `project "${p.name}": the ${kind} ${quoted(f)} is not a file inside the repository` } };
    inputs.push({ path, kind });
  }
  return {
    name: p.name,
    dir,
    whenModified: p.when_modified.map((g) => rootedGlob(dir, g)),
    dependsOn: p.depends_on,
    run: {
      ...(p.workflow === undefined ? defaultSettings(config) : { workflow: config.workflows[p.workflow] ?? EMPTY_WORKFLOW, workflowName: p.workflow }),
      workspace: p.workspace ?? DEFAULT_WORKSPACE,
      varFiles: p.var_files,
      backendConfig: p.backend_config,
      env: p.env,
      binary: p.terraform_binary ?? null,
    },
    inputs,
  };
}
