import { accessSync, constants, readFileSync, realpathSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** `tofu` (a name on PATH) or a path → the absolute path of the file, links resolved; null if none. */
export function resolveBinary(binary: string, path: string): string | null {
  const candidates = binary.includes("/") ? [binary] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, binary));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // next
    }
  }
  return null;
}

/**
 * What a step must read besides the system: the binary, the CLI configuration and the provider
 * directories it names (filesystem mirrors, the plugin cache), all read-only. The configuration
 * is HCL; its directory settings are plain `key = "value"` lines, which is all this reads.
 */
export function toolchainPaths(binary: string, cliConfigFile: string | undefined): string[] {
  const paths = [binary];
  if (cliConfigFile) {
    paths.push(cliConfigFile);
    let text = "";
    try {
      text = readFileSync(cliConfigFile, "utf8");
    } catch {
      // tofu reports an unreadable configuration itself.
    }
    for (const m of text.matchAll(/^\s*(?:path|plugin_cache_dir)\s*=\s*"([^"]+)"/gm)) {
      const dir = m[1] as string;
      if (isAbsolute(dir)) paths.push(dir);
    }
  }
  return paths;
}
