/** One entry of `git diff --raw` between the base and head of a change. */
export type FileChange =
  | { readonly status: "added" | "modified" | "deleted" | "type-changed"; readonly path: string; readonly link?: boolean }
  | { readonly status: "renamed"; readonly from: string; readonly path: string; readonly link?: boolean };
// `link`: the path is a symbolic link at head (its content is a target path, not configuration).
// "type-changed": a file became a symbolic link, or the other way round.

/** Every path a change touches: both sides of a rename. */
export function pathsOf(change: FileChange): string[] {
  return change.status === "renamed" ? [change.from, change.path] : [change.path];
}

export function describeChange(change: FileChange): string {
  if (change.status === "renamed") return `${change.from} renamed to ${change.path}`;
  if (change.status === "type-changed") return `${change.path} became ${change.link ? "a symbolic link" : "a regular file"}`;
  return `${change.path} ${change.status}`;
}

/** Whether the change can remove a path's file from the tree (so a project may have vanished). */
export function removesFile(change: FileChange): boolean {
  return change.status === "deleted" || change.status === "renamed" || change.status === "type-changed";
}
