import { compareText } from "../compare-text.js";
import { ancestorsOf, dirnameOf, isUnder, joinInsideRepo } from "../paths.js";
import type { Project } from "./discover-projects.js";
import { isLocalSource } from "./module-graph.js";
import type { RepoTree } from "./repo-tree.js";
import { indexLinksByDir, resolveLink, type LinkResolution } from "./resolve-link.js";

export interface LinkProblem {
  readonly code: "symlink-escapes-repo";
  readonly message: string;
}

/** How a project reaches a directory: the chain of directories from the project's own. */
type Chain = readonly string[];

interface Finding {
  readonly link: string;
  /** The link's own target; the resolution names the one that leaves, when a chain does. */
  readonly target: string | null;
  readonly resolution: Exclude<LinkResolution, { status: "inside" }>;
  readonly reachedBy: { readonly project: Project; readonly chain: Chain }[];
}

/** Link targets are text of the pull request: shown quoted, on one line, and not too long. */
function quote(target: string): string {
  const shown = target.length > 200 ? `${target.slice(0, 200)}…` : target;
  return JSON.stringify(shown);
}

/**
 * The symbolic links that `projects` would read through and that lead outside the repository
 * (an absolute target, or a relative one climbing above the root, possibly through a chain of
 * links), anywhere under each project's directory and the local modules it calls, and its var
 * files and backend config files wherever they are, whatever the file's name: tofu reads `.tfvars`, templates and `file()` arguments through them, and an error
 * message or an output then shows the server's files (`/proc/self/environ`) on the pull request.
 * A link that stays inside the repository is followed: what it points to is read as well.
 * A link whose target the tree does not know counts as leaving it (fail closed).
 */
export function findEscapingLinks(tree: RepoTree, projects: readonly Project[]): LinkProblem[] {
  if (tree.symlinks.length === 0 || projects.length === 0) return [];
  const links = new Set(tree.symlinks);
  const isLink = (path: string) => links.has(path);
  const linksUnder = indexLinksByDir(tree.symlinks);
  const resolutions = new Map<string, LinkResolution>();
  const resolve = (path: string): LinkResolution => {
    let r = resolutions.get(path);
    if (!r) resolutions.set(path, (r = resolveLink(tree, isLink, path)));
    return r;
  };
  /** Directory → the local module directories its configuration calls (memoized across projects). */
  const calls = new Map<string, string[]>();
  const callsFrom = (dir: string): string[] => {
    let out = calls.get(dir);
    if (out) return out;
    out = [];
    for (const file of tree.configFilesIn(dir)) {
      const scan = tree.scan(file);
      // Broken files and sources that leave the repository are the module graph check's to report.
      if (!scan?.ok) continue;
      for (const call of scan.summary.modules) {
        const to = call.source !== null && isLocalSource(call.source) ? joinInsideRepo(dir, call.source) : null;
        if (to !== null) out.push(to);
      }
    }
    calls.set(dir, out);
    return out;
  };

  const findings = new Map<string, Finding>();
  const report = (link: string, resolution: Finding["resolution"], project: Project, chain: Chain): void => {
    const f = findings.get(link) ?? { link, target: tree.linkTarget(link), resolution, reachedBy: [] };
    findings.set(link, f);
    if (!f.reachedBy.some((r) => r.project.name === project.name)) f.reachedBy.push({ project, chain });
  };

  for (const project of projects) {
    const chains = new Map<string, Chain>([[project.dir, [project.dir]]]);
    const queue = [project.dir];
    const visit = (dir: string, chain: Chain): void => {
      if (chains.has(dir)) return;
      chains.set(dir, chain);
      queue.push(dir);
    };
    while (queue.length > 0) {
      const dir = queue.pop() as string;
      const chain = chains.get(dir) as Chain;
      // A directory reached through a link (a linked module directory) is read where it leads.
      if (hasLinkedAncestor(dir, isLink)) {
        const r = resolve(dir);
        if (r.status === "inside") visit(r.path, chain);
        else report(r.link, r, project, chain);
        continue;
      }
      for (const link of linksUnder.get(dir) ?? []) {
        const r = resolve(link);
        if (r.status === "inside") visit(r.path, chain);
        else report(link, r, project, chain);
      }
      for (const to of callsFrom(dir)) visit(to, [...chain, to]);
    }
    // Its var files and backend config files are read wherever they are, links included.
    for (const input of project.inputs) {
      if (!isLink(input.path) && !hasLinkedAncestor(dirnameOf(input.path), isLink)) continue;
      const r = resolve(input.path);
      if (r.status !== "inside") report(isLink(input.path) ? input.path : r.link, r, project, [project.dir, `${input.kind} ${input.path}`]);
    }
  }
  return [...findings.values()].sort((a, b) => compareText(a.link, b.link)).map(describe);
}

function hasLinkedAncestor(dir: string, isLink: (path: string) => boolean): boolean {
  for (const d of ancestorsOf(dir)) if (d !== "" && isLink(d)) return true;
  return false;
}

function describe(f: Finding): LinkProblem {
  const { link, resolution: r } = f;
  const [first, ...others] = f.reachedBy;
  const { project, chain } = first as Finding["reachedBy"][number];
  const where =
    chain.length > 1
      ? `project "${project.name}" reaches it through ${chain.join(" → ")}`
      : isUnder(link, project.dir)
        ? `it is in project "${project.name}" (${project.dir})`
        : `project "${project.name}" (${project.dir}) reaches it through a link inside the repository`;
  const names = others.slice(0, 5).map((o) => `"${o.project.name}"`).join(", ") + (others.length > 5 ? ", …" : "");
  const more = others.length === 0 ? "" : `; also reached by ${others.length === 1 ? "project" : `${others.length} other projects:`} ${names}`;
  let what: string;
  if (r.status === "outside") {
    const hop = r.link === link ? "" : `, through ${r.link} → ${quote(r.target)}`;
    what = `${link} is a symbolic link to ${quote(f.target ?? r.target)}, which leads outside the repository${hop}`;
  } else if (r.reason === "too-many-links") {
    what = `${link} is a symbolic link tfgate cannot resolve (more than 40 links in a row)`;
  } else {
    what = `${link} is a symbolic link whose target tfgate could not read (${r.link})`;
  }
  return {
    code: "symlink-escapes-repo",
    message: `${what}; ${where}${more}. tfgate refuses links that leave the repository, whatever the file's name: tofu would read what they point to on the server. Make it a regular file, or a link to a path inside the repository.`,
  };
}
