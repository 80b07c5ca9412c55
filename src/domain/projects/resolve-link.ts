import { dirnameOf } from "../paths.js";
import type { RepoTree } from "./repo-tree.js";

/** Linux gives up after 40 links in one lookup (ELOOP); so does tfgate. */
const MAX_LINKS = 40;

export type LinkResolution =
  /** The repository path the lookup ends at (it may not exist: a dangling link stays inside). */
  | { readonly status: "inside"; readonly path: string }
  /** `link`, reached on the way, has `target`, which is absolute or climbs above the root. */
  | { readonly status: "outside"; readonly link: string; readonly target: string }
  /** `link`'s target is not known to the tree, or the lookup went through too many links. */
  | { readonly status: "unresolved"; readonly link: string; readonly reason: "unknown-target" | "too-many-links" };

interface Part {
  readonly name: string;
  /** The link whose target this part comes from; null for the path looked up. */
  readonly from: { readonly link: string; readonly target: string } | null;
}

const partsOf = (path: string, from: Part["from"]): Part[] =>
  path
    .split("/")
    .filter((name) => name !== "" && name !== ".")
    .map((name) => ({ name, from }));

/**
 * Looks `path` up as the operating system will in a checkout of the tree: each component that is
 * a link is replaced by its target, and `..` goes to the parent of the directory actually reached
 * (not of the name written), so a chain of links inside the repository that ends outside it is
 * found, whichever link in the chain leaves.
 */
export function resolveLink(tree: Pick<RepoTree, "linkTarget">, isLink: (path: string) => boolean, path: string): LinkResolution {
  const reached: string[] = [];
  const todo = partsOf(path, null).reverse(); // a stack: the next part last
  let links = 0;
  for (let part = todo.pop(); part !== undefined; part = todo.pop()) {
    if (part.name === "..") {
      if (reached.length === 0) {
        // Only a link's target can climb: a path tfgate looks up is already inside the repository.
        const from = part.from ?? { link: path, target: path };
        return { status: "outside", link: from.link, target: from.target };
      }
      reached.pop();
      continue;
    }
    reached.push(part.name);
    const here = reached.join("/");
    if (!isLink(here)) continue;
    if (++links > MAX_LINKS) return { status: "unresolved", link: path, reason: "too-many-links" };
    const target = tree.linkTarget(here);
    if (target === null) return { status: "unresolved", link: here, reason: "unknown-target" };
    if (target.startsWith("/")) return { status: "outside", link: here, target };
    reached.pop(); // a relative target starts from the link's own directory
    const from = { link: here, target };
    for (const p of partsOf(target, from).reverse()) todo.push(p);
  }
  return { status: "inside", path: reached.join("/") };
}

/** The directories that directly or indirectly hold each link, for "which links are under D". */
export function indexLinksByDir(symlinks: readonly string[]): ReadonlyMap<string, readonly string[]> {
  const byDir = new Map<string, string[]>();
  for (const link of symlinks) {
    for (let d = dirnameOf(link); ; d = dirnameOf(d)) {
      const list = byDir.get(d);
      if (list) list.push(link);
      else byDir.set(d, [link]);
      if (d === "") break;
    }
  }
  return byDir;
}
