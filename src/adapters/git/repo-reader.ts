import type { RepoReader } from "../../app/ports.js";
import { TfgateError } from "../../domain/errors.js";
import type { FileChange } from "../../domain/projects/file-change.js";
import { scanHcl, scanHclJson, type HclScanResult } from "../../domain/projects/hcl-scan.js";
import { isConfigFile, type RepoTree } from "../../domain/projects/repo-tree.js";
import { readBlobs, runGit } from "./run-git.js";

export interface RepoReaderOptions {
  /** A local repository (bare or not). */
  readonly dir: string;
  /**
   * Scan results by blob id. Blobs are immutable, so a long-lived server can keep this across
   * pull requests; most of a monorepo's files are the same from one PR to the next.
   */
  readonly scanCache?: Map<string, HclScanResult>;
  readonly scanCacheLimit?: number;
}

interface TreeEntry {
  readonly mode: string;
  readonly id: string;
  readonly path: string;
}

/** Reads refs, trees, blobs and diffs straight from git objects: no checkout needed. */
export function createRepoReader(options: RepoReaderOptions): RepoReader {
  const { dir } = options;
  const cache = options.scanCache ?? new Map<string, HclScanResult>();
  const cacheLimit = options.scanCacheLimit ?? 200_000;

  async function listTree(sha: string): Promise<TreeEntry[]> {
    const { stdout } = await runGit(dir, ["ls-tree", "-r", "-z", "--full-tree", sha], { stripFinalNewline: false });
    const entries: TreeEntry[] = [];
    for (const record of stdout.split("\0")) {
      if (!record) continue;
      const tab = record.indexOf("\t");
      const [mode, , id] = record.slice(0, tab).split(" ");
      entries.push({ mode: mode as string, id: id as string, path: record.slice(tab + 1) });
    }
    return entries;
  }

  return {
    async resolveRef(ref) {
      if (ref.startsWith("-")) throw new TfgateError("unknown-ref", `invalid ref "${ref}"`);
      try {
        const { stdout } = await runGit(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
        return stdout.trim();
      } catch (err) {
        if (err instanceof TfgateError) throw err;
        throw new TfgateError("unknown-ref", `unknown ref "${ref}" in ${dir}`, { cause: err });
      }
    },

    async mergeBase(a, b) {
      try {
        const { stdout } = await runGit(dir, ["merge-base", a, b]);
        return stdout.trim();
      } catch (err) {
        throw new TfgateError("unknown-ref", `${a} and ${b} have no common history`, { cause: err });
      }
    },

    async readTree(sha, withHcl) {
      const entries = await listTree(sha);
      const files: string[] = [];
      const symlinks: string[] = [];
      const config: TreeEntry[] = [];
      for (const e of entries) {
        if (e.mode === "120000") symlinks.push(e.path);
        else if (e.mode !== "160000") {
          files.push(e.path);
          if (withHcl && isConfigFile(e.path)) config.push(e);
        }
      }
      const hcl = new Map<string, HclScanResult>();
      const missing = config.filter((e) => !cache.has(e.id)).map((e) => e.id);
      const texts = await readBlobs(dir, missing);
      if (cache.size + texts.size > cacheLimit) cache.clear();
      for (const e of config) {
        let result = cache.get(e.id);
        if (!result) {
          const text = texts.get(e.id) ?? "";
          result = e.path.endsWith(".json") ? scanHclJson(text) : scanHcl(text);
          cache.set(e.id, result);
        }
        hcl.set(e.path, result);
      }
      return { files, symlinks, hcl } satisfies RepoTree;
    },

    async diff(base, head) {
      const { stdout } = await runGit(dir, ["diff", "-z", "--name-status", "--find-renames", "--no-ext-diff", base, head], {
        stripFinalNewline: false,
      });
      const parts = stdout.split("\0");
      const changes: FileChange[] = [];
      for (let i = 0; i < parts.length; ) {
        const status = parts[i++];
        if (!status) continue;
        const kind = status[0];
        if (kind === "R" || kind === "C") {
          const from = parts[i++] as string;
          const path = parts[i++] as string;
          changes.push(kind === "R" ? { status: "renamed", from, path } : { status: "added", path });
        } else {
          const path = parts[i++] as string;
          changes.push({ status: kind === "A" ? "added" : kind === "D" ? "deleted" : "modified", path });
        }
      }
      return changes;
    },

    async listFiles(sha, dir) {
      const { stdout } = await runGit(options.dir, ["ls-tree", "-z", "--full-tree", "--name-only", `${sha}:${dir}`], {
        stripFinalNewline: false,
      }).catch(() => ({ stdout: "" }));
      const prefix = dir === "" ? "" : `${dir}/`;
      return stdout.split("\0").filter(Boolean).map((name) => `${prefix}${name}`);
    },

    async readTexts(sha, paths) {
      // cat-file --batch resolves "<commit>:<path>" itself: one process for all the files.
      const texts = await readBlobs(dir, paths.map((p) => `${sha}:${p}`));
      const out = new Map<string, string>();
      for (const p of paths) {
        const text = texts.get(`${sha}:${p}`);
        if (text !== undefined) out.set(p, text);
      }
      return out;
    },
  };
}
