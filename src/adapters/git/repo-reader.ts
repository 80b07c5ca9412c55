import { StringDecoder } from "node:string_decoder";
import type { RepoReader } from "../../app/ports/repo-reader.js";
import { incompleteRepo } from "./incomplete-repo.js";
import { TfgateError } from "../../domain/errors.js";
import { createRepoTree, isConfigFile, type ConfigFile } from "../../domain/projects/repo-tree.js";
import { configFile, createBlobCache } from "./blob-cache.js";
import { createLinkTargets } from "./link-targets.js";
import { createObjectReader, parseTree, type GitObject, type TreeEntry } from "./object-reader.js";
import { parseRawDiff } from "./parse-raw-diff.js";
import { runGit, streamGit, type GitBaseEnv } from "./run-git.js";

export interface RepoReaderOptions {
  /** A local repository (bare or not). */
  readonly dir: string;
  /** See GitBaseEnv: the composition root's environment. */
  readonly gitEnv: GitBaseEnv;
  /**
   * Configuration blobs are kept by id, with their source hints and scans, up to this many bytes
   * (default 64 MiB). Blobs are immutable, so a long-lived server reads only the files a new
   * commit changed; most of a monorepo's files are the same from one PR to the next.
   */
  readonly blobCacheBytes?: number;
}

/** A file of a flattened tree, with its repository path. */
interface FlatEntry {
  readonly path: string;
  readonly mode: string;
  readonly id: string;
}

/**
 * Reads refs, trees, blobs and diffs straight from git objects: no checkout needed. Objects come
 * through one long-lived `git cat-file --batch`; flattened trees are cached by tree id and
 * configuration blobs by blob id (both immutable), so a reader kept by a server re-reads only the
 * directories and files a new commit changed.
 */
export function createRepoReader(options: RepoReaderOptions): RepoReader {
  const { dir, gitEnv: baseEnv } = options;
  const blobs = createBlobCache(options.blobCacheBytes ?? 64 * 1024 * 1024);
  const objects = createObjectReader(dir, baseEnv);
  const trees = new Map<string, Promise<FlatEntry[]>>();
  /** Commit → root tree id, and flattened tree → path index (both immutable). */
  const rootTrees = new Map<string, string>();
  const pathIndexes = new WeakMap<FlatEntry[], Map<string, FlatEntry>>();
  let cachedTreeEntries = 0;

  /** git's "not a git repository" becomes the typed error callers branch on. */
  function notARepo(err: unknown): unknown {
    return /not a git repository/i.test((err as Error).message) ? new TfgateError("not-a-git-repo", `${dir} is not a git repository`, { cause: err }) : err;
  }
  function typed<T>(pending: Promise<T>): Promise<T> {
    return pending.catch((err: unknown) => {
      throw notARepo(err);
    });
  }
  const read = (name: string): Promise<GitObject | null> => typed(objects.read(name));
  const readTexts = (names: readonly string[]) => typed(objects.readTexts(names));
  // Detection checks where the links of the projects it plans lead: the head tree carries targets.
  const linkTargets = createLinkTargets(readTexts);
  const eachBlob = (names: readonly string[], onBlob: (index: number, data: Buffer | null) => void) => typed(objects.eachBlob(names, onBlob));

  async function readTreeObject(name: string): Promise<TreeEntry[] | null> {
    const obj = await read(name);
    if (!obj || obj.type !== "tree") return null;
    return parseTree(obj.data, obj.id.length / 2);
  }

  /**
   * A tree's files with full paths, cached by tree id and the path it sits at (the same subtree
   * at the same place is the usual case). A new commit re-reads only the trees on the paths it
   * changed; every other subtree is reused as it is, with no new path strings.
   */
  function flatten(treeId: string, prefix: string, onFiles?: (files: readonly FlatEntry[]) => void): Promise<FlatEntry[]> {
    const key = `${prefix}\0${treeId}`;
    const known = trees.get(key);
    if (known) return known;
    // Nothing cached yet (a CLI run, a server's first pull request on a repository): one
    // `git ls-tree -r -t` lists a 10,000-file tree in ~20 ms and fills the cache for every
    // subtree; walking it object by object costs ten times that in requests, parses and promises.
    if (trees.size === 0 && prefix === "") return listAll(treeId, onFiles);
    const promise = (async () => {
      const entries = await readTreeObject(treeId);
      if (!entries) throw new Error(`tree ${treeId} is missing from ${dir}`);
      const parts = await Promise.all(
        entries.map((e): FlatEntry[] | Promise<FlatEntry[]> =>
          e.mode === "40000" ? flatten(e.id, `${prefix}${e.name}/`) : [{ path: `${prefix}${e.name}`, mode: e.mode, id: e.id }],
        ),
      );
      const flat = parts.flat();
      cachedTreeEntries += flat.length;
      return flat;
    })();
    if (cachedTreeEntries > 5_000_000) {
      trees.clear();
      cachedTreeEntries = 0;
    }
    trees.set(key, promise);
    promise.catch(() => trees.delete(key));
    return promise;
  }

  /**
   * Fills the cache for `rootId` and all its subtrees from one `git ls-tree -r -t`, parsed as git
   * writes it: `onFiles` gets each chunk's files at once, so their blobs can be requested while
   * git is still listing (a 5,000-project tree is a megabyte of listing).
   */
  function listAll(rootId: string, onFiles?: (files: readonly FlatEntry[]) => void): Promise<FlatEntry[]> {
    const key = `\0${rootId}`;
    // Records "<mode> SP <type> SP <id> TAB <path>", NUL-terminated, each tree before its contents.
    interface Open {
      readonly prefix: string;
      readonly id: string;
      readonly entries: FlatEntry[];
    }
    const stack: Open[] = [{ prefix: "", id: rootId, entries: [] }];
    const close = (): void => {
      const done = stack.pop() as Open;
      trees.set(`${done.prefix}\0${done.id}`, Promise.resolve(done.entries));
      cachedTreeEntries += done.entries.length;
      // A loop, not push(...): a directory may hold more entries than a call has arguments.
      const parent = (stack.at(-1) as Open).entries;
      for (const e of done.entries) parent.push(e);
    };
    const decoder = new StringDecoder("utf8");
    let rest = "";
    const parse = (text: string): void => {
      const records = (rest + text).split("\0");
      rest = records.pop() as string; // an unfinished record, completed by the next chunk
      const files: FlatEntry[] = [];
      for (const record of records) {
        if (record === "") continue;
        const tab = record.indexOf("\t");
        const s1 = record.indexOf(" ");
        const s2 = record.indexOf(" ", s1 + 1);
        const path = record.slice(tab + 1);
        while (stack.length > 1 && !path.startsWith((stack.at(-1) as Open).prefix)) close();
        const id = record.slice(s2 + 1, tab);
        if (record.slice(s1 + 1, s2) === "tree") stack.push({ prefix: `${path}/`, id, entries: [] });
        else {
          const entry = { path, mode: record.slice(0, s1), id };
          (stack.at(-1) as Open).entries.push(entry);
          files.push(entry);
        }
      }
      if (files.length > 0) onFiles?.(files);
    };
    const promise = (async () => {
      await streamGit(dir, ["ls-tree", "-r", "-t", "-z", "--full-tree", rootId], (chunk) => parse(decoder.write(chunk)), { baseEnv });
      parse(`${decoder.end()}\0`);
      while (stack.length > 1) close();
      const root = (stack[0] as Open).entries;
      cachedTreeEntries += root.length;
      return root;
    })();
    trees.set(key, promise);
    promise.catch(() => trees.delete(key));
    return promise;
  }

  return {
    async resolveRefs(refs) {
      return Promise.all(
        refs.map(async (ref) => {
          // Names travel over a line-based pipe; a ref never holds white space or control characters.
          if (ref.length === 0 || /[\s\p{Cc}]/u.test(ref)) throw new TfgateError("unknown-ref", `invalid ref ${JSON.stringify(ref)}`);
          const obj = await read(`${ref}^{commit}`);
          if (!obj) throw new TfgateError("unknown-ref", `unknown ref "${ref}" in ${dir}`);
          // A commit object starts with "tree <id>": readTree then needs no request of its own.
          const tree = /^tree ([0-9a-f]+)\n/.exec(obj.data.toString("latin1", 0, 80))?.[1];
          if (tree) rootTrees.set(obj.id, tree);
          return obj.id;
        }),
      );
    },

    async mergeBase(a, b) {
      try {
        const { stdout } = await runGit(dir, ["merge-base", a, b], { baseEnv });
        return stdout.trim();
      } catch (err) {
        throw new TfgateError("unknown-ref", `${a} and ${b} have no common history`, { cause: err });
      }
    },

    async readTree(sha, withHcl) {
      let rootId = rootTrees.get(sha);
      if (rootId === undefined) {
        const root = await read(`${sha}^{tree}`);
        if (!root) throw new TfgateError("unknown-ref", `commit ${sha} is not in ${dir}`);
        rootId = root.id;
        rootTrees.set(sha, rootId);
      }
      const config = new Map<string, ConfigFile>();
      // Configuration files go to git for their bytes as soon as they are known, and each one's
      // source hints are found as it arrives, while git lists and reads the next ones in its own
      // processes. Scans wait until detection asks (see createRepoTree).
      const taken = new Set<string>();
      const reads: Promise<void>[] = [];
      /** Blobs the tree names and git does not have (a partial clone that cannot fetch them). */
      const missing: FlatEntry[] = [];
      const takeConfig = (entries: readonly FlatEntry[]): void => {
        const unread: FlatEntry[] = [];
        for (const e of entries) {
          if (e.mode === "120000" || e.mode === "160000" || !isConfigFile(e.path)) continue;
          taken.add(e.path);
          const known = blobs.get(e.id);
          if (known) config.set(e.path, configFile(e.path, known));
          else unread.push(e);
        }
        if (unread.length === 0) return;
        const reading = eachBlob(
          unread.map((e) => e.id),
          (i, data) => {
            const e = unread[i] as FlatEntry;
            if (data === null) missing.push(e);
            else config.set(e.path, configFile(e.path, blobs.add(e.id, data)));
          },
        );
        reading.catch(() => undefined); // awaited below; a listing that fails first must not leave it unhandled
        reads.push(reading);
      };
      // A listing served from the cache (a server's later pull requests) streams nothing.
      const entries = await flatten(rootId, "", withHcl ? takeConfig : undefined);
      const files: string[] = [];
      const symlinks: string[] = [];
      const links: FlatEntry[] = [];
      const rest: FlatEntry[] = [];
      for (const e of entries) {
        if (e.mode === "120000") {
          symlinks.push(e.path);
          links.push(e);
        } else if (e.mode !== "160000") {
          files.push(e.path);
          if (withHcl && !taken.has(e.path) && isConfigFile(e.path)) rest.push(e);
        }
      }
      takeConfig(rest);
      const [targets] = await Promise.all([withHcl ? linkTargets.read(links) : new Map<string, string>(), ...reads]);
      // Read as empty, a missing file would silently change what detection sees.
      if (missing.length > 0) throw incompleteRepo(dir, sha, missing);
      return createRepoTree(files, symlinks, config, targets);
    },

    async diffFromMergeBase(base, head) {
      // A commit against itself (e.g. planning the base branch): nothing changed, no git process.
      if (base === head && /^[0-9a-f]{40,64}$/.test(base)) return [];
      // `base...head` finds the merge base itself: one process instead of two.
      // --raw gives the modes too: a symbolic link's blob is a target path, not configuration.
      const { stdout } = await runGit(dir, ["diff", "-z", "--raw", "--no-abbrev", "--find-renames", "--no-ext-diff", `${base}...${head}`], {
        baseEnv,
        stripFinalNewline: false,
      }).catch((err: unknown) => {
        throw /no merge base/i.test((err as Error).message) ? new TfgateError("unknown-ref", `${base} and ${head} have no common history`, { cause: err }) : err;
      });
      return parseRawDiff(stdout);
    },

    async listFilesBelow(sha, path) {
      // Links and submodules are no policy text: a link's blob is only its target's name.
      const walk = async (dir: string): Promise<string[]> =>
        (await Promise.all(((await readTreeObject(dir === "" ? `${sha}^{tree}` : `${sha}:${dir}`)) ?? []).map(async (e) => {
          const full = dir === "" ? e.name : `${dir}/${e.name}`;
          return e.mode === "40000" ? walk(full) : e.mode !== "120000" && e.mode !== "160000" ? [full] : [];
        }))).flat();
      return (await walk(path)).sort();
    },

    async readTexts(sha, paths) {
      const out = new Map<string, string>();
      // When the commit's tree is (being) read anyway, look blob ids up in it: a "<sha>:<path>"
      // lookup makes git re-read every tree on the path (a 5,000-entry projects/ tree each time).
      const rootId = rootTrees.get(sha);
      const flat = rootId ? await trees.get(`\0${rootId}`) : undefined;
      let index = flat ? pathIndexes.get(flat) : undefined;
      if (flat && !index) {
        index = new Map(flat.map((e) => [e.path, e]));
        pathIndexes.set(flat, index);
      }
      const wanted = index ? paths.filter((p) => index.has(p)) : paths;
      const texts = await readTexts(wanted.map((p) => index?.get(p)?.id ?? `${sha}:${p}`));
      const missing: FlatEntry[] = [];
      wanted.forEach((p, i) => {
        const text = texts[i];
        const entry = index?.get(p);
        if (text !== null && text !== undefined) out.set(p, text);
        // Listed in the commit's tree as a file, yet not in the object store: not "absent".
        else if (entry && entry.mode !== "160000") missing.push(entry);
      });
      if (missing.length > 0) throw incompleteRepo(dir, sha, missing);
      return out;
    },

    close() {
      objects.close();
    },
  };
}
