/** POSIX path helpers for repository-relative paths (domain code has no node:path). */

export function dirnameOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function basenameOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/**
 * Joins a repository-relative directory and a relative path, resolving `.` and `..`.
 * Returns null when the result would leave the repository root.
 */
export function joinInsideRepo(dir: string, relative: string): string | null {
  // Walks the segments with indexOf instead of split(): module graphs join thousands of paths.
  let out = dir;
  let start = 0;
  while (start <= relative.length) {
    let end = relative.indexOf("/", start);
    if (end < 0) end = relative.length;
    const part = relative.slice(start, end);
    start = end + 1;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out === "") return null;
      out = dirnameOf(out);
    } else out = out === "" ? part : `${out}/${part}`;
  }
  return out;
}

/** True when `path` is `dir` itself or inside it. The repository root is "". */
export function isUnder(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

/** `dir` and each of its ancestors, innermost first, ending with the root "". */
export function* ancestorsOf(dir: string): Generator<string> {
  let d = dir;
  for (;;) {
    yield d;
    if (d === "") return;
    d = dirnameOf(d);
  }
}
