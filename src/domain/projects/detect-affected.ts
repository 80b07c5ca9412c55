import picomatch from "picomatch";
import { REPO_CONFIG_FILE, type RepoConfig } from "../../config/repo-config.js";
import { compareText } from "../compare-text.js";
import { ancestorsOf, dirnameOf } from "../paths.js";
import { createProjectLookup, discoverProjects, type Project } from "./discover-projects.js";
import { describeChange, pathsOf, type FileChange } from "./file-change.js";
import { buildModuleGraph, type ModuleGraph } from "./module-graph.js";
import type { RepoTree } from "./repo-tree.js";

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
  readonly code: "invalid-hcl" | "module-escapes-repo" | "module-cycle" | "symlinked-project" | "symlinked-config" | "invalid-config";
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

/** Maps the files a change touches to the projects it affects, directly or through local modules. */
export function detectAffected(input: DetectInput): Detection {
  const { config, changes } = input;
  const head = discoverProjects(input.head, config);
  // Without deleted paths the caller passes the head tree as the base: discover once.
  const base = input.base === input.head ? head : discoverProjects(input.base, config);
  const graph = buildModuleGraph(input.head, head.projects.map((p) => p.dir));
  const problems = [...head.problems, ...graph.problems];
  if (problems.length > 0) return { status: "error", problems };

  const headByDir = new Map(head.projects.map((p) => [p.dir, p]));
  const ownerAtHead = createProjectLookup(head.projects);
  const ownerAtBase = createProjectLookup(base.projects);
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
      const owner = ownerAtHead(path);
      if (owner) {
        addReason(owner, what);
        hit = true;
      } else {
        const gone = ownerAtBase(path);
        if (gone && !headByDir.has(gone.dir)) {
          deleted.set(gone.dir, { name: gone.name, dir: gone.dir });
          hit = true;
        }
      }
      for (const dir of ancestorsOf(dirnameOf(path))) {
        if (graph.moduleDirs.has(dir)) {
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

  for (const [moduleDir, what] of changedModules) {
    for (const { dir, chain } of callersOf(graph, moduleDir)) {
      const project = headByDir.get(dir);
      if (!project) continue;
      const shown = what.length === 1 ? what[0] : `${what[0]} and ${what.length - 1} more`;
      addReason(project, `module ${moduleDir} changed (${shown}) via ${chain.join(" → ")}`);
    }
  }

  const projects = head.projects
    .filter((p) => reasons.has(p.name))
    .map((project) => ({ project, reasons: [...(reasons.get(project.name) as Set<string>)] }));
  return {
    status: "ok",
    projects,
    deleted: [...deleted.values()].sort((a, b) => compareText(a.name, b.name)),
    allProjects: head.projects,
    configChanged,
    untouched,
    warnings: graph.warnings,
  };
}

/** Every directory that reaches `moduleDir` through module calls, with the shortest call chain. */
function callersOf(graph: ModuleGraph, moduleDir: string): { dir: string; chain: string[] }[] {
  const found: { dir: string; chain: string[] }[] = [];
  const seen = new Set([moduleDir]);
  let frontier = [{ dir: moduleDir, chain: [moduleDir] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { dir, chain } of frontier) {
      for (const edge of graph.callers.get(dir) ?? []) {
        if (seen.has(edge.from)) continue;
        seen.add(edge.from);
        const item = { dir: edge.from, chain: [edge.from, ...chain] };
        found.push(item);
        next.push(item);
      }
    }
    frontier = next;
  }
  return found;
}
