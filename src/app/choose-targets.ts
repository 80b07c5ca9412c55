import type { Detection } from "../domain/projects/detect-affected.js";
import type { Project } from "../domain/projects/discover-projects.js";

/** The projects a run plans: the affected ones, or those `/plan a b` names (all must exist). */
export function chooseTargets(detection: Pick<Extract<Detection, { status: "ok" }>, "projects" | "allProjects">, only: readonly string[] | undefined): { status: "ok"; projects: Project[] } | { status: "unknown"; message: string } {
  if (!only || only.length === 0) return { status: "ok", projects: detection.projects.map((a) => a.project) };
  const byName = new Map(detection.allProjects.map((p) => [p.name, p]));
  const unknown = only.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const valid = detection.allProjects.map((p) => `\`${p.name}\``).join(", ") || "(none)";
    return { status: "unknown", message: `Unknown project${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `\`${n}\``).join(", ")}. Projects in this repository: ${valid}.` };
  }
  return { status: "ok", projects: [...new Set(only)].map((n) => byName.get(n) as Project) };
}
