/**
 * Finds the configuration file and line of a planned resource.
 *
 * The JSON plan format (1.2) has no source positions: `configuration` gives each module call's
 * `source` but no file or line of any block. So this maps a change's module path to a directory
 * through the local module sources (`./`, `../`) in `configuration`, then looks for the block
 * `resource "TYPE" "NAME" {` in that directory's files. The answer is given only when it is
 * unambiguous: exactly one such block. Registry/git modules, JSON-syntax files and ambiguous
 * matches give no location rather than a wrong one.
 */
import { basenameOf, dirnameOf, joinInsideRepo } from "../paths.js";
import type { PlannedChange } from "./plan-changes.js";

export interface SourceLocation {
  /** Repository-relative path. */
  readonly file: string;
  readonly line: number;
}

export type ResourceLocator = (change: Pick<PlannedChange, "module_address" | "type" | "name">) => SourceLocation | undefined;

interface ModuleConfig {
  readonly module_calls?: Readonly<Record<string, { readonly source?: unknown; readonly module?: ModuleConfig }>>;
}

const LABEL = String.raw`(?:"([^"\\]+)"|([A-Za-z_][A-Za-z0-9_-]*))`;
const RESOURCE_BLOCK = new RegExp(String.raw`^[ \t]*resource[ \t]+${LABEL}[ \t]+${LABEL}[ \t]*\{`, "gm");
const NATIVE_CONFIG = /\.(tf|tofu)$/;
const OVERRIDE = /(^|_)override\.(tf|tofu)$/;

/** Module names of a module address: `module.a["x"].module.b[0]` → ["a", "b"]; null if malformed. */
export function moduleNames(moduleAddress: string): string[] | null {
  const names: string[] = [];
  let i = 0;
  const s = moduleAddress;
  while (i < s.length) {
    if (!s.startsWith("module.", i)) return null;
    i += "module.".length;
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(s.slice(i));
    if (!m) return null;
    names.push(m[0]);
    i += m[0].length;
    if (s[i] === "[") {
      // Skip the instance key, a number or a quoted string that may contain `]` or `.`.
      const key = /^\[(?:\d+|"(?:[^"\\]|\\.)*")\]/.exec(s.slice(i));
      if (!key) return null;
      i += key[0].length;
    }
    if (i < s.length) {
      if (s[i] !== ".") return null;
      i++;
    }
  }
  return names;
}

function isLocalSource(source: unknown): source is string {
  return typeof source === "string" && (source.startsWith("./") || source.startsWith("../"));
}

/** Repository-relative directories of the project and the local modules its plan uses (for reading their files). */
export function configDirsOf(planJson: unknown, projectDir: string): string[] {
  const dirs = new Set<string>([projectDir]);
  const walk = (mod: ModuleConfig | undefined, dir: string) => {
    for (const call of Object.values(mod?.module_calls ?? {})) {
      if (!isLocalSource(call.source)) continue;
      const child = joinInsideRepo(dir, call.source);
      if (child === null) continue;
      dirs.add(child);
      walk(call.module, child);
    }
  };
  walk((planJson as { configuration?: { root_module?: ModuleConfig } } | null)?.configuration?.root_module, projectDir);
  return [...dirs];
}

/**
 * @param files repository-relative path → text of the configuration files in configDirsOf's
 *   directories (others are ignored).
 */
export function createResourceLocator(input: { planJson: unknown; projectDir: string; files: ReadonlyMap<string, string> }): ResourceLocator {
  const root = (input.planJson as { configuration?: { root_module?: ModuleConfig } } | null)?.configuration?.root_module;
  const byDir = new Map<string, Map<string, SourceLocation[]>>();

  function blocksIn(dir: string): Map<string, SourceLocation[]> {
    let index = byDir.get(dir);
    if (index) return index;
    index = new Map();
    byDir.set(dir, index);
    const names = new Set<string>();
    for (const path of input.files.keys()) if (dirnameOf(path) === dir) names.add(basenameOf(path));
    for (const [path, text] of input.files) {
      const base = basenameOf(path);
      if (dirnameOf(path) !== dir || !NATIVE_CONFIG.test(base) || OVERRIDE.test(base)) continue;
      // OpenTofu ignores x.tf when x.tofu exists.
      if (base.endsWith(".tf") && names.has(`${base.slice(0, -3)}.tofu`)) continue;
      for (const m of text.matchAll(RESOURCE_BLOCK)) {
        const key = `${m[1] ?? m[2]}.${m[3] ?? m[4]}`;
        const line = countLines(text, m.index);
        const found = index.get(key) ?? [];
        found.push({ file: path, line });
        index.set(key, found);
      }
    }
    return index;
  }

  return (change) => {
    let dir = input.projectDir;
    let mod = root;
    const names = change.module_address ? moduleNames(change.module_address) : [];
    if (names === null) return undefined;
    for (const name of names) {
      const call = mod?.module_calls?.[name];
      if (!call || !isLocalSource(call.source)) return undefined;
      const next = joinInsideRepo(dir, call.source);
      if (next === null) return undefined;
      dir = next;
      mod = call.module;
    }
    const found = blocksIn(dir).get(`${change.type}.${change.name}`);
    return found?.length === 1 ? found[0] : undefined;
  };
}

function countLines(text: string, end: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
