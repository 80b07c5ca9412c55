import type { RepoConfig } from "../domain/projects/repo-config.js";
import { discoverProjects, type Project } from "../domain/projects/discover-projects.js";
import type { RepoReader } from "./ports/repo-reader.js";

/**
 * Which projects (same name, same directory) exist where the configuration was read: only those
 * get credentials. A project the change adds gets none until merged, or a pull request could add
 * `projects/net-evil` to receive the credentials of `net-*`. Read only when something is planned
 * (detection alone never lists the trusted tree).
 */
export async function trustedProjects(reader: RepoReader, configSha: string, config: RepoConfig): Promise<(project: Project) => boolean> {
  const known = new Set(discoverProjects(await reader.readTree(configSha, false), config).projects.map((p) => `${p.name}\0${p.dir}`));
  return (p) => known.has(`${p.name}\0${p.dir}`);
}
