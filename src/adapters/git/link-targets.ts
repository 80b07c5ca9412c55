/** A symbolic link of a tree: its path and the id of its blob (whose text is the target). */
export interface LinkEntry {
  readonly path: string;
  readonly id: string;
}

export interface LinkTargets {
  /** Path → target for each link; a link whose blob git did not give is left out (unknown). */
  read(links: readonly LinkEntry[]): Promise<Map<string, string>>;
}

/**
 * Link targets by blob id (immutable), read in one batch through the caller's `cat-file`
 * process: a repository has few links and they rarely change, so a server reads each once.
 */
export function createLinkTargets(readTexts: (ids: readonly string[]) => Promise<(string | null)[]>, maxEntries = 100_000): LinkTargets {
  const known = new Map<string, string>();
  return {
    async read(links) {
      const unread = [...new Set(links.filter((e) => !known.has(e.id)).map((e) => e.id))];
      const texts = unread.length > 0 ? await readTexts(unread) : [];
      const fresh = new Map<string, string>();
      unread.forEach((id, i) => {
        const text = texts[i];
        if (text !== null && text !== undefined) fresh.set(id, text);
      });
      const out = new Map<string, string>();
      // A target git did not give stays unknown: detection refuses such a link rather than guess.
      for (const e of links) {
        const target = known.get(e.id) ?? fresh.get(e.id);
        if (target !== undefined) out.set(e.path, target);
      }
      if (known.size + fresh.size > maxEntries) known.clear();
      for (const [id, text] of fresh) known.set(id, text);
      return out;
    },
  };
}
