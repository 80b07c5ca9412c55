/**
 * Markdown for a PR comment: one table of findings per run, plus how to fix them. Everything that
 * comes from the plan or the policy files is escaped, because a tag value or a resource key is
 * PR-controlled text and must not inject markdown, HTML or @mentions into the comment.
 */
import { inlineCode } from "../render/inline-code.js";
import type { PolicyResult, Violation } from "./policy-result.js";

export interface ProjectPolicyResult {
  readonly project: string;
  readonly result: PolicyResult;
}

export interface RenderPolicyOptions {
  /** Rows shown across all projects; the rest are counted (PR comments are limited to 65,536 characters). */
  readonly maxRows?: number;
}

const ICON = { passed: "✅", failed: "❌", error: "⛔", warning: "⚠️" } as const;

/** Plain text in a table cell. */
export function escapeCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_{}[\]<>()#+!|~&]/g, (c) => `\\${c}`)
    // A zero-width space after @ keeps GitHub from turning text into a mention.
    .replace(/@/g, "@\u200b");
}

/**
 * Text shown as code in a table cell: `|` is escaped (GFM tables), and the fence is longer than
 * any run of backticks inside, so PR-controlled text (a for_each key) cannot close it early.
 */
export function codeCell(text: string): string {
  return inlineCode(text.replace(/\|/g, "\\|"));
}

function resourceCell(v: Violation): string {
  const address = v.address === "" ? "whole plan" : codeCell(v.address);
  return v.file === undefined ? address : `${address}<br>${codeCell(v.line === undefined ? v.file : `${v.file}:${v.line}`)}`;
}

export function renderPolicyTable(results: readonly ProjectPolicyResult[], options: RenderPolicyOptions = {}): string {
  const maxRows = options.maxRows ?? 50;
  const rows: string[] = [];
  let hidden = 0;
  const add = (row: string[]) => {
    if (rows.length < maxRows) rows.push(`| ${row.join(" | ")} |`);
    else hidden++;
  };
  let projectTagFailed = false;
  let unknownValues = false;
  let errors = false;

  for (const { project, result } of results) {
    const name = codeCell(project);
    if (result.status === "error") {
      errors = true;
      for (const e of result.errors) {
        const where = e.line === null ? e.file : `${e.file}:${e.line}`;
        add([name, `${ICON.error} error`, codeCell(where), e.key ? codeCell(e.key) : "", escapeCell(e.message)]);
      }
      continue;
    }
    const findings: [Violation, "failed" | "warning"][] = [
      ...(result.status === "failed" ? result.violations.map((v) => [v, "failed"] as [Violation, "failed"]) : []),
      ...result.warnings.map((w) => [w, "warning"] as [Violation, "warning"]),
    ];
    if (findings.length === 0) add([name, `${ICON.passed} passed`, "", "", ""]);
    for (const [v, level] of findings) {
      if (v.rule === "project-tag" && level === "failed") projectTagFailed = true;
      if (v.message.includes("unknown until apply")) unknownValues = true;
      add([name, level === "failed" ? `${ICON.failed} failed` : `${ICON.warning} warning`, resourceCell(v), codeCell(v.rule), escapeCell(v.message)]);
    }
  }

  const out = ["| Project | Policy | Resource | Rule | Problem and fix |", "|---|---|---|---|---|", ...rows];
  if (hidden > 0) out.push("", `…and ${hidden} more finding${hidden === 1 ? "" : "s"} (see \`tfgate plan --json\` for all of them).`);
  const hints: string[] = [];
  if (projectTagFailed) {
    hints.push("- **Project tag:** every taggable resource needs the tag `Project` naming its project (the project's directory name, or its `project_tag` in `tfgate.yaml`). Set it in the resource's `labels`/`tags`, through a shared labels module, or for AWS in the provider's `default_tags`.");
  }
  if (unknownValues) {
    hints.push("- **Unknown until apply:** tfgate can only check values the plan knows. Build tags from variables and locals, not from attributes of resources created in the same plan.");
  }
  if (errors) {
    hints.push("- **Policy error:** the policy could not be evaluated, so the plan cannot be applied. Policy files and `tfgate.yaml` are read from the base branch: fix them there.");
  }
  if (hints.length > 0) out.push("", ...hints);
  return `${out.join("\n")}\n`;
}
