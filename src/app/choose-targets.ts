import type { Detection, DetectionProblem } from "../domain/projects/detect-affected.js";
import type { Project } from "../domain/projects/discover-projects.js";
import { findEscapingLinks } from "../domain/projects/escaping-links.js";
import type { RepoTree } from "../domain/projects/repo-tree.js";

export type TargetChoice =
  | { readonly status: "ok"; readonly projects: Project[] }
  | { readonly status: "unknown"; readonly message: string }
  /** A named project reads through a link leaving the repository: nothing is planned. */
  | { readonly status: "refused"; readonly problems: readonly DetectionProblem[] };

/**
 * The projects a run plans: the affected ones, or those `/plan a b` names (all must exist).
 * Detection checked the affected projects' links; a named project it did not reach is checked
 * here, since planning it reads its files just the same.
 */
export function chooseTargets(detection: Pick<Extract<Detection, { status: "ok" }>, "projects" | "allProjects">, only: readonly string[] | undefined, headTree: RepoTree): TargetChoice {
  if (!only || only.length === 0) return { status: "ok", projects: detection.projects.map((a) => a.project) };
  const byName = new Map(detection.allProjects.map((p) => [p.name, p]));
  const unknown = only.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const valid = detection.allProjects.map((p) => `\`${p.name}\``).join(", ") || "(none)";
    return { status: "unknown", message: `Unknown project${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `\`${n}\``).join(", ")}. Projects in this repository: ${valid}.` };
  }
  const projects = [...new Set(only)].map((n) => byName.get(n) as Project);
  const checked = new Set(detection.projects.map((a) => a.project.name));
  const problems = findEscapingLinks(headTree, projects.filter((p) => !checked.has(p.name)));
  return problems.length > 0 ? { status: "refused", problems } : { status: "ok", projects };
}
