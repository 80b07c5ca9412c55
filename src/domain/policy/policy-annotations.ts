import type { PolicyResult, Violation } from "./policy-result.js";

/** A finding pinned to a line of a repository file (the shape of a check annotation). */
export interface LineFinding {
  readonly path: string;
  readonly line: number;
  readonly level: "failure" | "warning";
  readonly title: string;
  readonly message: string;
}

const MESSAGE_MAX = 2_000;

/**
 * The findings of a policy result that know their file and line: violations fail, warnings warn.
 * Findings without a place (a plan-wide rule, a resource from a remote module) stay in the
 * summary only. Paths are repository-relative, as the host expects; anything else is dropped.
 */
export function policyAnnotations(result: PolicyResult | null): LineFinding[] {
  if (result === null || result.status === "error") return [];
  const placed = (v: Violation, level: LineFinding["level"]): LineFinding[] => {
    const { file, line } = v;
    if (file === undefined || line === undefined || !Number.isInteger(line) || line < 1) return [];
    if (file === "" || file.startsWith("/") || file.split("/").includes("..")) return [];
    const title = v.address === "" ? v.rule : `${v.rule}: ${v.address}`;
    return [{ path: file, line, level, title: title.slice(0, 255), message: v.message.slice(0, MESSAGE_MAX) }];
  };
  const violations = result.status === "failed" ? result.violations.flatMap((v) => placed(v, "failure")) : [];
  return [...violations, ...result.warnings.flatMap((w) => placed(w, "warning"))];
}
