import type { FileChange } from "../../domain/projects/file-change.js";

/**
 * Parses `git diff --raw -z`: per change ":<old mode> <new mode> <old id> <new id> <status>",
 * then the path (two paths for a rename or copy), each NUL-terminated.
 */
export function parseRawDiff(stdout: string): FileChange[] {
  const parts = stdout.split("\0");
  const changes: FileChange[] = [];
  for (let i = 0; i < parts.length; ) {
    const header = parts[i++];
    if (!header) continue;
    const fields = header.split(" ");
    const kind = (fields[4] ?? "")[0];
    const link = fields[1] === "120000";
    if (kind === "R" || kind === "C") {
      const from = parts[i++] as string;
      const path = parts[i++] as string;
      changes.push(kind === "R" ? { status: "renamed", from, path, link } : { status: "added", path, link });
    } else {
      const path = parts[i++] as string;
      const status = kind === "A" ? "added" : kind === "D" ? "deleted" : kind === "T" ? "type-changed" : "modified";
      changes.push({ status, path, link });
    }
  }
  return changes;
}
