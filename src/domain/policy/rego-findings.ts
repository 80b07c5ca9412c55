/**
 * Results of Rego policies (conftest's conventions) joined to tfgate's own policy result. Pure:
 * the engine adapter runs conftest and hands over what it found.
 */
import type { PolicyResult, PolicyWarning, Violation } from "./policy-result.js";

/** One message of a `deny`/`violation` (fails) or `warn` (warns) rule. */
export interface RegoFinding {
  readonly severity: "failure" | "warning";
  /** The package, e.g. `main` or `terraform.tags`. */
  readonly namespace: string;
  /** conftest's query, e.g. `data.main.deny`: what the rule is called in the policy table. */
  readonly query: string;
  readonly message: string;
  /** `address` (or `resource`) from an object result's fields, when the policy gives one. */
  readonly address?: string;
}

export type RegoOutcome =
  | { readonly status: "ok"; readonly findings: readonly RegoFinding[] }
  /** The policies could not be evaluated (compile error, no engine): fail closed. */
  | { readonly status: "error"; readonly file: string; readonly message: string };

/** A policy file as read from the trusted ref (repository-relative path). */
export interface PolicySource {
  readonly path: string;
  readonly text: string;
}

/** Which `.rego` files declare each package: a finding names the files of its namespace. */
export function filesByNamespace(sources: readonly PolicySource[]): Map<string, string[]> {
  const byNamespace = new Map<string, string[]>();
  for (const source of sources) {
    if (!source.path.endsWith(".rego")) continue;
    const namespace = /^\s*package\s+([A-Za-z_][\w.]*)/m.exec(source.text)?.[1];
    if (namespace === undefined) continue;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), source.path]);
  }
  return byNamespace;
}

/**
 * Adds Rego findings to the built-in and YAML rules' result. An `error` on either side wins:
 * a plan is judged by every policy or not at all.
 */
export function withRegoFindings(
  result: PolicyResult,
  rego: RegoOutcome,
  sources: readonly PolicySource[],
  locate?: (address: string) => { readonly file: string; readonly line: number } | undefined,
): PolicyResult {
  if (rego.status === "error") {
    const own = result.status === "error" ? result.errors : [];
    return { status: "error", errors: [...own, { file: rego.file, key: "", line: null, message: rego.message }] };
  }
  if (result.status === "error") return result;
  const files = filesByNamespace(sources);
  const violations: Violation[] = result.status === "failed" ? [...result.violations] : [];
  const warnings: PolicyWarning[] = [...result.warnings];
  for (const finding of rego.findings) {
    const where = finding.address !== undefined ? locate?.(finding.address) : undefined;
    const policyFiles = files.get(finding.namespace) ?? [];
    const entry: Violation = {
      address: finding.address ?? "",
      // The rule as the policy author knows it, and the file that holds it (conftest does not
      // say which file of a package a message came from when a package spans several).
      rule: policyFiles.length > 0 ? `${finding.query} (${policyFiles.join(", ")})` : finding.query,
      message: finding.message,
      ...(where ? { file: where.file, line: where.line } : {}),
    };
    (finding.severity === "failure" ? violations : warnings).push(entry);
  }
  return violations.length > 0 ? { status: "failed", violations, warnings } : { status: "passed", warnings };
}
