import { homedir } from "node:os";
import { join } from "node:path";

/** The CLI's data directory when --data-dir is not given: TFGATE_DATA_DIR, else the user's cache directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return env["TFGATE_DATA_DIR"] ?? join(env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "tfgate");
}
