/**
 * Matches a request line against the path templates of GitHub's description. Where two templates
 * match (`/issues/comments/{comment_id}` and `/issues/{issue_number}`), the one with a literal
 * segment earlier wins, as on GitHub.
 */

export interface RouteEntry {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  /** Path parameters that may span several segments (`x-multi-segment`, e.g. a ref `heads/a/b`). */
  readonly multiSegment: ReadonlySet<string>;
}

export interface RouteHit {
  readonly entry: RouteEntry;
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRoute {
  readonly entry: RouteEntry;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** One flag per segment, true for literal segments: the tie-breaker between matches. */
  readonly literal: readonly boolean[];
}

export interface RouteTable {
  find(method: string, pathname: string): RouteHit | undefined;
}

export function createRouteTable(entries: readonly RouteEntry[]): RouteTable {
  const routes = entries.map(compile);
  return {
    find(method, pathname) {
      const upper = method.toUpperCase();
      let best: { route: CompiledRoute; match: RegExpExecArray } | undefined;
      for (const route of routes) {
        if (route.entry.method !== upper) continue;
        const match = route.pattern.exec(pathname);
        if (match && (!best || moreSpecific(route, best.route))) best = { route, match };
      }
      if (!best) return undefined;
      const params: Record<string, string> = {};
      best.route.names.forEach((name, i) => {
        params[name] = safeDecode(best.match[i + 1] ?? "");
      });
      return { entry: best.route.entry, params };
    },
  };
}

function compile(entry: RouteEntry): CompiledRoute {
  const names: string[] = [];
  const literal: boolean[] = [];
  const source = entry.template
    .split("/")
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (!param?.[1]) {
        literal.push(true);
        return escapeRegExp(segment);
      }
      names.push(param[1]);
      literal.push(false);
      return entry.multiSegment.has(param[1]) ? "(.+?)" : "([^/]+)";
    })
    .join("/");
  return { entry, pattern: new RegExp(`^${source}/?$`), names, literal };
}

function moreSpecific(a: CompiledRoute, b: CompiledRoute): boolean {
  const n = Math.min(a.literal.length, b.literal.length);
  for (let i = 0; i < n; i++) {
    if (a.literal[i] !== b.literal[i]) return a.literal[i] === true;
  }
  // A multi-segment parameter lets `/commits/{ref}` swallow `/commits/{ref}/status`: the
  // template with more literal segments is the one GitHub routes to.
  return a.literal.filter(Boolean).length > b.literal.filter(Boolean).length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
