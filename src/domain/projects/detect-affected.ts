import picomatch from "picomatch";
import { REPO_CONFIG_FILE, type RepoConfig } from "./repo-config.js";
import { compareText } from "../compare-text.js";
import { ancestorsOf, dirnameOf } from "../paths.js";
import { createProjectLookup, discoverProjects, type MisnamedProject, type Project } from "./discover-projects.js";
import { findEscapingLinks } from "./escaping-links.js";
import { describeChange, pathsOf, type FileChange } from "./file-change.js";
import { createCallerLookup, walkUp, type Reach } from "./module-callers.js";
import { checkModuleGraph } from "./module-graph.js";
import { isConfigFile, type RepoTree } from "./repo-tree.js";

export interface AffectedProject {
  readonly project: Project;
  /** Why it is affected, e.g. "projects/kirare/main.tf modified" or a module chain. */
  readonly reasons: readonly string[];
}

export interface DeletedProject {
  readonly name: string;
  readonly dir: string;
}

export interface DetectionProblem {
  readonly code: "invalid-hcl" | "module-escapes-repo" | "module-cycle" | "symlinked-project" | "symlinked-config" | "symlink-escapes-repo" | "invalid-config" | "invalid-project-name" | "duplicate-project-name";
  readonly message: string;
}

export type Detection =
  | {
      readonly status: "ok";
      readonly projects: readonly AffectedProject[];
      readonly deleted: readonly DeletedProject[];
      /** All projects at head, so callers can validate names given by users. */
      readonly allProjects: readonly Project[];
      /** The change edits tfgate.yaml (which takes effect only once merged). */
      readonly configChanged: boolean;
      /** Changed paths that affect no project. */
      readonly untouched: readonly string[];
      readonly warnings: readonly string[];
    }
  | { readonly status: "error"; readonly problems: readonly DetectionProblem[] };

export interface DetectInput {
  readonly base: RepoTree;
  readonly head: RepoTree;
  readonly changes: readonly FileChange[];
  /** tfgate.yaml as read from the base ref. */
  readonly config: RepoConfig;
}

/**
 * Maps the files a change touches to the projects it affects, directly or through local modules.
 * It reads up from each changed directory to the projects that call it, then checks the module
 * graph of the affected projects only: a broken project elsewhere blocks no other pull request.
 */
export function detectAffected(input: DetectInput): Detection {
  const { config, changes } = input;
  const head = discoverProjects(input.head, config);
  if (head.problems.length > 0) return { status: "error", problems: head.problems };
  // Without deleted paths the caller passes the head tree as the base: discover once.
  const base = input.base === input.head ? head : discoverProjects(input.base, config);

  const headByDir = new Map<string, Project[]>();
  for (const p of head.projects) headByDir.set(p.dir, [...(headByDir.get(p.dir) ?? []), p]);
  // A misnamed project directory is a project to the walk (what it calls must reach it), but
  // a change that reaches it cannot be planned: it becomes a problem.
  const misnamedByDir = new Map(head.misnamed.map((m) => [m.dir, m]));
  const misnamedHits = new Map<string, DetectionProblem>();
  const isProject = (dir: string): boolean => headByDir.has(dir) || misnamedByDir.has(dir);
  const callersOf = createCallerLookup(input.head);
  // Only a directory with configuration files (at head, or at base for a deleted module) can be
  // a module: a README edit elsewhere never makes tfgate read files that might call its folder.
  let configDirs: Set<string> | null = null;
  const holdsConfig = (dir: string): boolean => {
    configDirs ??= new Set([...input.head.files, ...input.head.symlinks, ...input.base.files].filter(isConfigFile).map(dirnameOf));
    return configDirs.has(dir);
  };
  const reaches = new Map<string, Reach>();
  const reach = (dir: string): Reach => {
    let r = reaches.get(dir);
    if (!r) reaches.set(dir, (r = walkUp(callersOf, dir, isProject)));
    return r;
  };
  /**
   * A module directory is one a project calls, through any chain. Whether it still holds files
   * does not matter: a change that deletes a module its callers still use affects them.
   */
  const isUsedModule = (dir: string): boolean =>
    holdsConfig(dir) && callersOf.mayBeCalled(dir) && (reach(dir).callers.some((c) => isProject(c.dir)) || reach(dir).blocking.length > 0);
  const ownerAtHead = createProjectLookup<Project | MisnamedProject>([...head.projects, ...head.misnamed]);
  const ownerAtBase = createProjectLookup(base.projects);
  // Var files and backend config files a project's steps read, wherever they sit.
  const inputsOf = new Map<string, { project: Project; kind: string }[]>();
  for (const project of head.projects) {
    for (const input of project.inputs) inputsOf.set(input.path, [...(inputsOf.get(input.path) ?? []), { project, kind: input.kind }]);
  }
  const globs = head.projects
    .filter((p) => p.whenModified.length > 0)
    .map((p) => ({ project: p, match: picomatch([...p.whenModified], { dot: true }) }));

  const reasons = new Map<string, Set<string>>();
  const addReason = (project: Project, reason: string): void => {
    const set = reasons.get(project.name) ?? new Set<string>();
    set.add(reason);
    reasons.set(project.name, set);
  };
  const deleted = new Map<string, DeletedProject>();
  /** Changed module directory → the changes inside it. */
  const changedModules = new Map<string, string[]>();
  const untouched: string[] = [];
  let configChanged = false;

  for (const change of changes) {
    const what = describeChange(change);
    let hit = false;
    for (const path of pathsOf(change)) {
      if (path === REPO_CONFIG_FILE) {
        configChanged = true;
        hit = true;
      }
      const owners = ownerAtHead(path);
      const gone = ownerAtBase(path);
      const goneDir = gone[0]?.dir;
      // A project the head no longer has, deeper than the path's owner at head (a nested project
      // deleted or moved out of its parent's directory): its files were its own, not the parent's.
      if (goneDir !== undefined && !isProject(goneDir) && (owners.length === 0 || goneDir.length > (owners[0]?.dir.length ?? 0))) {
        for (const g of gone) deleted.set(g.name, { name: g.name, dir: g.dir });
        hit = true;
      } else if (!namedVarFile(path, inputsOf)) {
        for (const owner of owners) {
          if ("problem" in owner) misnamedHits.set(owner.dir, owner.problem);
          else addReason(owner, what);
          hit = true;
        }
      }
      for (const { project, kind } of inputsOf.get(path) ?? []) {
        addReason(project, `${what} (a ${kind} of the project)`);
        hit = true;
      }
      for (const dir of ancestorsOf(dirnameOf(path))) {
        if (isUsedModule(dir)) {
          const list = changedModules.get(dir) ?? [];
          list.push(what);
          changedModules.set(dir, list);
          hit = true;
          break;
        }
      }
      for (const g of globs) {
        if (g.match(path)) {
          addReason(g.project, `${what} (when_modified)`);
          hit = true;
        }
      }
    }
    if (!hit) untouched.push(change.path);
  }

  /** A file that cannot be scanned → the changed modules it may call. */
  const blocking = new Map<string, string[]>();
  for (const [moduleDir, what] of changedModules) {
    for (const message of reach(moduleDir).blocking) blocking.set(message, [...(blocking.get(message) ?? []), moduleDir]);
    for (const { dir, chain } of reach(moduleDir).callers) {
      const misnamed = misnamedByDir.get(dir);
      if (misnamed) misnamedHits.set(dir, misnamed.problem);
      const shown = what.length === 1 ? what[0] : `${what[0]} and ${what.length - 1} more`;
      for (const project of headByDir.get(dir) ?? []) addReason(project, `module ${moduleDir} changed (${shown}) via ${chain.join(" → ")}`);
    }
  }

  const projects = head.projects
    .filter((p) => reasons.has(p.name))
    .map((project) => ({ project, reasons: [...(reasons.get(project.name) as Set<string>)] }));
  const graph = checkModuleGraph(input.head, projects.map((p) => p.project.dir));
  // A file that blocks the walk up and one the graph check finds broken are the same problem once.
  const problems = new Map<string, DetectionProblem>();
  for (const p of misnamedHits.values()) problems.set(p.message, p);
  for (const [message, modules] of blocking) {
    const why = `tfgate cannot parse this file, and must, to tell whether it calls the changed module ${modules.join(", ")} (and so which projects the change affects); fix the file`;
    problems.set(message, { code: "invalid-hcl", message: `${message} (${why})` });
  }
  for (const p of graph.problems) problems.set(p.message, p);
  // Like a broken file, a link leaving the repository blocks the change only if an affected
  // project reads through it.
  for (const p of findEscapingLinks(input.head, projects.map((a) => a.project))) problems.set(p.message, p);
  if (problems.size > 0) return { status: "error", problems: [...problems.values()] };
  return {
    status: "ok",
    projects,
    deleted: [...deleted.values()].sort((a, b) => compareText(a.name, b.name)),
    allProjects: head.projects,
    configChanged,
    untouched,
    warnings: [...head.warnings, ...graph.warnings],
  };
}

/**
 * A var file tofu reads only when named (`-var-file`), and that some project names: it affects
 * those projects, not every project of its directory (`blue.tfvars` beside `green.tfvars`, each
 * for its own workspace). Auto-loaded ones (`terraform.tfvars`, `*.auto.tfvars`) affect them all.
 */
function namedVarFile(path: string, inputsOf: ReadonlyMap<string, readonly unknown[]>): boolean {
  return inputsOf.has(path) && /\.tfvars(\.json)?$/.test(path) && !/(^|\/)terraform\.tfvars(\.json)?$|\.auto\.tfvars(\.json)?$/.test(path);
}
