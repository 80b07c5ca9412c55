import { isProjectName } from "../projects/project-name.js";

/**
 * The hidden first line of a drift issue: tfgate finds the issue of a project by it when its own
 * record of the issue is missing (a crash between opening the issue and storing its number), and
 * knows which project a `/plan` on the issue means. Only the first line counts, and the caller
 * must check the issue was opened by the app: anyone can type the marker.
 */
export function driftIssueMarker(repo: string, project: string): string {
  return `<!-- tfgate:drift repo=${repo} project=${project} -->`;
}

// Project names hold `/` (nested projects: `app1/prod`); isProjectName has the last word on them.
const MARKER = /^<!-- tfgate:drift repo=([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+) project=(\S+) -->$/;

/** The repository and project an issue body's marker names, or null when it has none. */
export function readDriftIssueMarker(body: string): { readonly repo: string; readonly project: string } | null {
  const first = (body.split("\n", 1)[0] ?? "").replace(/^\uFEFF/, "").trim();
  const m = MARKER.exec(first);
  return m?.[1] && m[2] && isProjectName(m[2]) ? { repo: m[1], project: m[2] } : null;
}

/** The label of every drift issue (GitHub creates it on first use). */
export const DRIFT_ISSUE_LABEL = "tfgate:drift";
