import { scanConfigText, type HclScanResult } from "../../domain/projects/hcl-scan.js";
import type { ConfigFile } from "../../domain/projects/repo-tree.js";
import { sourceHints } from "../../domain/projects/source-hints.js";

/** A configuration blob: its bytes, their source hints, and its scans once made. */
export interface ConfigBlob {
  readonly data: Buffer;
  readonly hints: readonly string[] | null;
  hcl?: HclScanResult;
  json?: HclScanResult;
}

export interface BlobCache {
  get(id: string): ConfigBlob | undefined;
  /** Keeps a blob read from git; its hints are found at once, while git reads the next ones. */
  add(id: string, view: Buffer): ConfigBlob;
}

/**
 * Configuration blobs by id, up to `budget` bytes (then it starts over). Blobs are immutable, so
 * a server keeping one reader per repository reads and scans only what a new commit changed.
 */
export function createBlobCache(budget: number): BlobCache {
  const blobs = new Map<string, ConfigBlob>();
  let bytes = 0;
  return {
    get: (id) => blobs.get(id),
    add(id, view) {
      // A copy: the view would keep git's whole output chunk (and the other objects in it) alive.
      const data = Buffer.from(view);
      const blob = { data, hints: sourceHints(data) };
      if (bytes + data.length > budget) {
        blobs.clear();
        bytes = 0;
      }
      blobs.set(id, blob);
      bytes += data.length;
      return blob;
    },
  };
}

/**
 * A tree's view of a blob at `path`. The same bytes can be HCL in one file and JSON in another,
 * so each syntax keeps its own scan; JSON files get no byte hints (null: always a candidate).
 */
export function configFile(path: string, blob: ConfigBlob): ConfigFile {
  // scanConfigText picks the syntax from the path; the slot only keeps the two scans apart.
  const scan = () => scanConfigText(path, blob.data.toString("utf8"));
  if (path.endsWith(".json")) return { hints: null, scan: () => (blob.json ??= scan()) };
  return { hints: blob.hints, scan: () => (blob.hcl ??= scan()) };
}
