import { TfgateError } from "../../domain/errors.js";

/**
 * A commit's tree names files whose contents git does not have (a partial clone that cannot reach
 * its remote, a damaged object store). Read as empty or absent, they would silently change what
 * detection sees, so the reader says so instead.
 */
export function incompleteRepo(dir: string, sha: string, missing: readonly { readonly path: string; readonly id: string }[]): TfgateError {
  const first = missing[0] ?? { path: "?", id: "?" };
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : "";
  return new TfgateError(
    "incomplete-repo",
    `${dir} lacks the contents of ${first.path}${more} at commit ${sha.slice(0, 12)} (blob ${first.id.slice(0, 12)}): the repository is incomplete, e.g. a partial clone (--filter) whose remote cannot be reached. Fetch the missing objects (git fetch --refetch, or clone without --filter) and run again.`,
  );
}
