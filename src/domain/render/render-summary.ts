/**
 * The one summary comment of a pull request, as one or more comment bodies. GitHub refuses bodies
 * over 65,536 characters, so the summary is split between whole blocks (see pack-blocks.ts); every
 * body starts with the hidden marker the server looks for.
 *
 * Everything from the input is treated as hostile: PR text is cleaned (control and bidi
 * characters), known secrets are scrubbed before any escaping (escaping could change how a secret
 * looks), and each value is escaped for where it lands: codeCell/escapeCell in the table, HTML
 * entities in `<summary>` lines, code spans elsewhere, and nothing inside fences, whose length
 * beats any backtick run in the text.
 */
import { TfgateError } from "../errors.js";
import type { PolicyResult, Violation } from "../policy/policy-result.js";
import { renderPolicyTable } from "../policy/render-policy.js";
import { cleanText, oneLine } from "./clean-text.js";
import { inlineCode } from "./inline-code.js";
import { packBlocks, type SummaryBlock } from "./pack-blocks.js";
import { fitDetails, projectDetails } from "./project-details.js";
import { safeUrl } from "./safe-url.js";
import { createSecretScrubber } from "./secret-scrubber.js";
import type { ProjectRunState, SummaryInput, SummaryProject } from "./summary-input.js";
import { summaryMarker } from "./summary-marker.js";
import { closingNotes, summaryNotes } from "./summary-notes.js";
import { summaryReasons } from "./summary-reasons.js";
import { summarySteps } from "./summary-steps.js";
import { summaryTable } from "./summary-table.js";

/** GitHub's limit for a comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/**
 * Measured in UTF-16 code units (`string.length`), which is never less than the code points
 * GitHub's message speaks of, and 65,536 units are at most 196,608 UTF-8 bytes, under the
 * 262,144-byte limit some have measured; the margin covers the rest we do not know.
 */
export const DEFAULT_MAX_BODY_LENGTH = 64_000;
/** Past this many comments, further diffs are replaced by a line linking to the log. */
export const DEFAULT_MAX_PARTS = 10;

export interface RenderSummaryOptions {
  /** Values to replace with `***` wherever they appear (the server's secrets). */
  readonly secrets?: readonly string[];
  /** Per body, at most GITHUB_COMMENT_LIMIT. */
  readonly maxBodyLength?: number;
  readonly maxParts?: number;
}

const MIN_BODY_LENGTH = 8_000;
const POLICY_ROWS = 30;

export function renderSummary(rawInput: SummaryInput, options: RenderSummaryOptions = {}): string[] {
  const maxBodyLength = options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
  const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
  if (!Number.isInteger(maxBodyLength) || maxBodyLength < MIN_BODY_LENGTH || maxBodyLength > GITHUB_COMMENT_LIMIT) {
    throw new TfgateError("invalid-input", `maxBodyLength must be an integer from ${MIN_BODY_LENGTH} to ${GITHUB_COMMENT_LIMIT}`);
  }
  if (!Number.isInteger(maxParts) || maxParts < 1) throw new TfgateError("invalid-input", "maxParts must be a positive integer");
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(rawInput.headSha)) throw new TfgateError("invalid-input", `not a commit SHA: ${oneLine(rawInput.headSha, 80)}`);
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(rawInput.repo)) throw new TfgateError("invalid-input", `not a repository name: ${oneLine(rawInput.repo, 120)}`);
  if (!Number.isInteger(rawInput.pr) || rawInput.pr < 1) throw new TfgateError("invalid-input", `not a pull request number: ${rawInput.pr}`);

  const scrub = createSecretScrubber(options.secrets ?? []);
  // The SHA and the repository name were checked above and are GitHub's, not the PR's.
  const input = { ...mapStrings(rawInput, (s) => scrub(cleanText(scrub(s)))), headSha: rawInput.headSha, repo: rawInput.repo };
  const projects = [...input.projects].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sha = input.headSha;
  const shortSha = sha.slice(0, 7);

  const headers = (total: number) => ({ first: firstHeader(total), next: (part: number) => nextHeader(part, total, input.pr, shortSha) });
  // Bodies are packed before their count is known: reserve room for the longest header.
  const widest = headers(9999);
  const budget = maxBodyLength - Math.max(widest.first.length, widest.next(9999).length) - 1;

  const repoUrl = safeUrl(input.repoUrl ?? `https://github.com/${input.repo}`);
  const commit = repoUrl === null ? inlineCode(shortSha) : `[${inlineCode(shortSha)}](${repoUrl}/commit/${sha})`;
  const blocks: SummaryBlock[] = [
    ...summaryNotes({ ...input, projects }).map(text),
    text(`Plans for head commit ${commit} (full SHA ${inlineCode(sha)})${tally(projects)}.\n`),
  ];
  // With problems, the note above says why nothing was planned: no "no project affected" line.
  if (projects.length > 0) blocks.push({ kind: "table", ...summaryTable(projects) });
  else if ((input.problems ?? []).length === 0) blocks.push(text("No project is affected by this pull request.\n"));
  const details = projects.flatMap((p) => projectDetails(p) ?? []);
  // Notes (locked, cancelled) say what to do, so they come right after the table, before the folds.
  blocks.push(...details.filter((d) => d.kind === "note").map((d) => text(d.render(0))));
  const reasons = summaryReasons(projects);
  if (reasons !== null) blocks.push(text(reasons));
  blocks.push(...closingNotes(input, shortSha).map(text));

  const judged = projects.flatMap((p) => (p.policy !== null && p.policy.status !== "passed" ? [{ project: p.name, result: bounded(p.policy) }] : []));
  if (judged.length > 0) blocks.push(text(`**Policy findings**\n\n${renderPolicyTable(judged, { maxRows: POLICY_ROWS })}`));

  for (const d of details.filter((x) => x.kind === "fold")) {
    blocks.push({ kind: "text", text: fitDetails(d, budget), compact: d.compact(`the summary is limited to ${maxParts} comments`) });
  }
  for (const p of projects) {
    const steps = summarySteps(p);
    if (steps !== null) blocks.push({ kind: "text", text: steps.length <= budget ? steps : `workflow steps of ${inlineCode(oneLine(p.name, 100))}: too long for a comment; see the log\n` });
  }

  const parts = packBlocks(blocks, { budget, maxParts });
  const { first, next } = headers(parts.length);
  return parts.map((blockTexts, i) => `${i === 0 ? first : next(i + 1)}\n${blockTexts.join("\n")}`);
}

const TALLY: readonly [ProjectRunState["status"], string][] = [
  ["changes", "with changes"],
  ["no-changes", "without changes"],
  ["error", "failed"],
  ["locked-by-other-pr", "locked by another pull request"],
  ["cancelled", "cancelled"],
  ["running", "planning"],
  ["queued", "queued"],
  ["applied", "applied"],
];

/** ": 2 projects, 1 with changes, 1 failed" — the state at a glance. */
function tally(projects: readonly SummaryProject[]): string {
  if (projects.length === 0) return "";
  const counts = TALLY.flatMap(([status, label]) => {
    const n = projects.filter((p) => p.state.status === status).length;
    return n > 0 ? [`${n} ${label}`] : [];
  });
  return `: ${projects.length} project${projects.length === 1 ? "" : "s"}, ${counts.join(", ")}`;
}

function text(t: string): SummaryBlock {
  return { kind: "text", text: t };
}

function firstHeader(total: number): string {
  const split = total > 1 ? `\nThis summary is split into ${total} comments; this is part 1.\n` : "";
  return `${summaryMarker(1, total)}\n### tfgate plan summary\n${split}`;
}

function nextHeader(part: number, total: number, pr: number, shortSha: string): string {
  return `${summaryMarker(part, total)}\n### tfgate plan summary, part ${part} of ${total}\n\nContinued for #${pr} at head commit ${inlineCode(shortSha)}.\n`;
}

/** Policy text can hold PR values of any length (tag values): keep each finding to a table row. */
function bounded(result: PolicyResult): PolicyResult {
  const finding = (v: Violation): Violation => ({
    ...v,
    address: oneLine(v.address, 300),
    rule: oneLine(v.rule, 100),
    message: oneLine(v.message, 500),
    file: v.file === undefined ? undefined : oneLine(v.file, 300),
  });
  switch (result.status) {
    case "passed":
      return { status: "passed", warnings: result.warnings.map(finding) };
    case "failed":
      return { status: "failed", violations: result.violations.map(finding), warnings: result.warnings.map(finding) };
    case "error":
      return { status: "error", errors: result.errors.map((e) => ({ ...e, file: oneLine(e.file, 300), key: oneLine(e.key, 200), message: oneLine(e.message, 500) })) };
  }
}

/** Applies `f` to every string in plain data (arrays and objects), so no field can be missed. */
function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === "string") return f(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, f)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}
