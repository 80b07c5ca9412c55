/** One entry of `git diff --name-status` between the base and head of a change. */
export type FileChange =
  | { readonly status: "added" | "modified" | "deleted"; readonly path: string }
  | { readonly status: "renamed"; readonly from: string; readonly path: string };

/** Every path a change touches: both sides of a rename. */
export function pathsOf(change: FileChange): string[] {
  return change.status === "renamed" ? [change.from, change.path] : [change.path];
}

export function describeChange(change: FileChange): string {
  return change.status === "renamed" ? `${change.from} renamed to ${change.path}` : `${change.path} ${change.status}`;
}
