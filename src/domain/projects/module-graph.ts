import { joinInsideRepo } from "../paths.js";
import type { RepoTree } from "./repo-tree.js";

/** A `module` call from the configuration in `from` to the local module directory `to`. */
export interface ModuleEdge {
  readonly from: string;
  readonly to: string;
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

export interface GraphProblem {
  readonly code: "invalid-hcl" | "module-escapes-repo" | "module-cycle";
  readonly message: string;
}

export interface ModuleGraphCheck {
  readonly problems: readonly GraphProblem[];
  /** Things tfgate cannot follow but which are not errors, e.g. non-literal module sources. */
  readonly warnings: readonly string[];
}

/** Terraform treats only sources starting with ./ or ../ as local paths; the rest are fetched. */
export function isLocalSource(source: string): boolean {
  return source.startsWith("./") || source.startsWith("../") || source === "." || source === "..";
}

/**
 * Follows local module calls down from the root directories (the affected projects) and checks
 * what they reach: scanner errors, sources that leave the repository, cycles. Only what is
 * reachable is checked, so a broken file the change does not touch blocks no pull request.
 */
export function checkModuleGraph(tree: RepoTree, roots: readonly string[]): ModuleGraphCheck {
  const edges = new Map<string, ModuleEdge[]>();
  const problems: GraphProblem[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>(roots);
  const queue = [...roots];

  while (queue.length > 0) {
    const dir = queue.pop() as string;
    const out: ModuleEdge[] = [];
    for (const file of tree.configFilesIn(dir)) {
      const scan = tree.scan(file);
      if (!scan) continue;
      if (!scan.ok) {
        problems.push({ code: "invalid-hcl", message: `${file}:${scan.line}: ${scan.message}` });
        continue;
      }
      for (const call of scan.summary.modules) {
        if (call.source === null) {
          warnings.push(`${file}:${call.line}: module "${call.name}" has a non-literal source; tfgate counts it as a call of every local module, so any module change plans this project`);
          continue;
        }
        if (!isLocalSource(call.source)) continue;
        const to = joinInsideRepo(dir, call.source);
        if (to === null) {
          problems.push({
            code: "module-escapes-repo",
            message: `${file}:${call.line}: module "${call.name}" source "${call.source}" points outside the repository`,
          });
          continue;
        }
        const edge: ModuleEdge = { from: dir, to, name: call.name, file, line: call.line };
        out.push(edge);
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    edges.set(dir, out);
  }

  problems.push(...findCycles(edges));
  return { problems, warnings };
}

/** Depth-first search with three colours; each cycle is reported once, with its calls. */
function findCycles(edges: ReadonlyMap<string, readonly ModuleEdge[]>, sorted = false): GraphProblem[] {
  const state = new Map<string, "active" | "done">();
  const problems: GraphProblem[] = [];
  const stack: ModuleEdge[] = [];

  const visit = (dir: string): void => {
    state.set(dir, "active");
    for (const edge of edges.get(dir) ?? []) {
      const s = state.get(edge.to);
      if (s === "active") {
        const start = stack.findIndex((e) => e.from === edge.to);
        const cycle = [...stack.slice(start < 0 ? stack.length : start), edge];
        const chain = [...cycle.map((e) => e.from), edge.to].join(" → ");
        const where = cycle.map((e) => `${e.file}:${e.line}`).join(", ");
        problems.push({ code: "module-cycle", message: `module cycle: ${chain} (calls at ${where})` });
      } else if (s === undefined) {
        stack.push(edge);
        visit(edge.to);
        stack.pop();
      }
    }
    state.set(dir, "done");
  };

  // Insertion order finds every cycle; only when there is one is the search repeated in sorted
  // order, so its report does not depend on the order files were read in. Sorting thousands of
  // directories on every detection is wasted otherwise.
  for (const dir of sorted ? [...edges.keys()].sort() : edges.keys()) if (!state.has(dir)) visit(dir);
  if (problems.length === 0 || sorted) return problems;
  return findCycles(edges, true);
}
