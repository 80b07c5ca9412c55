import { compareText } from "../compare-text.js";
import { dirnameOf, joinInsideRepo } from "../paths.js";
import { isLocalSource, type ModuleEdge } from "./module-graph.js";
import type { RepoTree } from "./repo-tree.js";
import { DYNAMIC_SOURCE } from "./source-hints.js";

/** The calls into one directory, and the files that may call it but could not be scanned. */
export interface Callers {
  readonly edges: readonly ModuleEdge[];
  readonly broken: readonly { readonly from: string; readonly message: string }[];
}

/**
 * Who calls a directory as a local module. Only the files whose source hints resolve to it (or
 * that cannot tell, see sourceHints) are scanned, so a change to one module reads the files that
 * name it, not the whole repository. Memoized per directory.
 */
export interface CallerLookup {
  (dir: string): Callers;
  /** False when no file can call `dir`: no hint points at it and every file could tell. */
  mayBeCalled(dir: string): boolean;
}

export function createCallerLookup(tree: RepoTree): CallerLookup {
  let index: Map<string, string[]> | null = null;
  /** Files that may call any directory: their sources cannot be told from the bytes, or are interpolated. */
  const unknown: string[] = [];
  const memo = new Map<string, Callers>();

  const buildIndex = (): Map<string, string[]> => {
    const byTarget = new Map<string, string[]>();
    for (const file of tree.configFiles) {
      const hints = tree.sourceHints(file);
      if (hints === null) {
        unknown.push(file);
        continue;
      }
      if (hints.includes(DYNAMIC_SOURCE)) unknown.push(file);
      const from = dirnameOf(file);
      for (const hint of hints) {
        const to = isLocalSource(hint) ? joinInsideRepo(from, hint) : null;
        if (to === null) continue;
        const list = byTarget.get(to);
        if (!list) byTarget.set(to, [file]);
        else if (list.at(-1) !== file) list.push(file);
      }
    }
    return byTarget;
  };

  const lookup = (dir: string): Callers => {
    const known = memo.get(dir);
    if (known) return known;
    index ??= buildIndex();
    const edges: ModuleEdge[] = [];
    const broken: { from: string; message: string }[] = [];
    // Sorted, so the chains reported do not depend on the order git listed the files in.
    const candidates = [...new Set([...(index.get(dir) ?? []), ...unknown])].sort(compareText);
    for (const file of candidates) {
      const scan = tree.scan(file);
      if (!scan) continue;
      const from = dirnameOf(file);
      if (!scan.ok) {
        broken.push({ from, message: `${file}:${scan.line}: ${scan.message}` });
        continue;
      }
      for (const call of scan.summary.modules) {
        // A source that is no literal may name this directory: counted as a call (fail closed).
        if (call.source === null || (isLocalSource(call.source) && joinInsideRepo(from, call.source) === dir)) {
          edges.push({ from, to: dir, name: call.name, file, line: call.line });
        }
      }
    }
    const callers = { edges, broken };
    memo.set(dir, callers);
    return callers;
  };
  return Object.assign(lookup, {
    mayBeCalled(dir: string): boolean {
      index ??= buildIndex();
      return index.has(dir) || unknown.length > 0;
    },
  });
}

export interface Reach {
  /** Every directory that reaches the module through module calls, with the shortest call chain. */
  readonly callers: readonly { readonly dir: string; readonly chain: readonly string[] }[];
  /**
   * Files that could not be scanned on a way from the module up to a project not reached
   * otherwise: whether that project is affected cannot be told.
   */
  readonly blocking: readonly string[];
}

/** Walks from `moduleDir` up through its callers, breadth first. */
export function walkUp(callersOf: (dir: string) => Callers, moduleDir: string, isProject: (dir: string) => boolean): Reach {
  const callers: { dir: string; chain: string[] }[] = [];
  const seen = new Set([moduleDir]);
  let frontier = [{ dir: moduleDir, chain: [moduleDir] }];
  let sawBroken = false;
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { dir, chain } of frontier) {
      const into = callersOf(dir);
      if (into.broken.length > 0) sawBroken = true;
      for (const edge of into.edges) {
        if (seen.has(edge.from)) continue;
        seen.add(edge.from);
        const item = { dir: edge.from, chain: [edge.from, ...chain] };
        callers.push(item);
        next.push(item);
      }
    }
    frontier = next;
  }
  return { callers, blocking: sawBroken ? blockingFiles(callersOf, moduleDir, isProject, seen) : [] };
}

/** The second walk, through unscannable files too: which of them lead to a project not yet reached. */
function blockingFiles(callersOf: (dir: string) => Callers, moduleDir: string, isProject: (dir: string) => boolean, reached: ReadonlySet<string>): string[] {
  const blocking = new Set<string>();
  const parent = new Map<string, { dir: string; broken: string | null }>();
  const seen = new Set([moduleDir]);
  let frontier = [moduleDir];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const dir of frontier) {
      const into = callersOf(dir);
      const links = [...into.edges.map((e) => ({ from: e.from, broken: null })), ...into.broken.map((b) => ({ from: b.from, broken: b.message }))];
      for (const link of links) {
        if (seen.has(link.from)) continue;
        seen.add(link.from);
        parent.set(link.from, { dir, broken: link.broken });
        next.push(link.from);
        if (!isProject(link.from) || reached.has(link.from)) continue;
        for (let at: string | undefined = link.from; at !== undefined && at !== moduleDir; ) {
          const p = parent.get(at);
          if (p?.broken) blocking.add(p.broken);
          at = p?.dir;
        }
      }
    }
    frontier = next;
  }
  return [...blocking].sort(compareText);
}
