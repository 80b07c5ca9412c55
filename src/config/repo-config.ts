/**
 * `tfgate.yaml` at the repository root: which directories are projects, and how they relate.
 * Validated with zod; every error names the file, the line and the key, because the person
 * reading it is looking at a PR and needs to know where to look.
 */
import { z } from "zod";
import { LineCounter, parseDocument, type Document } from "yaml";
import { lineOf, schemaProblems, yamlSyntaxProblems, type YamlProblem } from "./yaml-location.js";

export const REPO_CONFIG_FILE = "tfgate.yaml";

const projectName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "project names use letters, digits, '.', '_' and '-'");
const repoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a path inside the repository");

export const projectConfigSchema = z.strictObject({
  name: projectName,
  dir: repoPath,
  when_modified: z.array(z.string().min(1)).default([]),
  depends_on: z.array(projectName).default([]),
  /** Overrides the expected value of the Project tag for this project (policy issue). */
  project_tag: z.string().min(1).optional(),
});

export const policyConfigSchema = z.strictObject({
  tag_key: z.string().min(1).default("Project"),
  tag_attributes: z.array(z.string().min(1)).min(1).default(["tags_all", "tags", "labels"]),
  unknown_tag_values: z.enum(["error", "warning"]).default("error"),
});

const teamSlug = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "write approver teams as org/team");

export const applyConfigSchema = z.strictObject({
  /** Teams whose members' approval on the head commit lets `/apply` run (added to the server's). */
  approver_teams: z.array(teamSlug).default([]),
  /**
   * Merge the pull request once every planned project is applied (needs the App's
   * `contents: write`). Off by default: most teams merge by hand after looking at the result.
   */
  automerge: z.boolean().default(false),
});

export const repoConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Globs of directories that are projects when they hold *.tf or *.tofu files. */
  roots: z.array(z.string().min(1)).default(["projects/*"]),
  projects: z.array(projectConfigSchema).default([]),
  policy: policyConfigSchema.default({ tag_key: "Project", tag_attributes: ["tags_all", "tags", "labels"], unknown_tag_values: "error" }),
  apply: applyConfigSchema.default({ approver_teams: [], automerge: false }),
});

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type ProjectConfig = z.infer<typeof projectConfigSchema>;
export type PolicyConfig = z.infer<typeof policyConfigSchema>;

export type ConfigProblem = YamlProblem;

export type RepoConfigResult =
  | { readonly ok: true; readonly config: RepoConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export const DEFAULT_REPO_CONFIG: RepoConfig = repoConfigSchema.parse({});

export function formatConfigProblem(p: ConfigProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return p.key ? `${where}: ${p.key}: ${p.message}` : `${where}: ${p.message}`;
}

/** Parses `tfgate.yaml` text. `text === null` means the file does not exist: defaults apply. */
export function parseRepoConfig(text: string | null, file = REPO_CONFIG_FILE): RepoConfigResult {
  if (text === null) return { ok: true, config: DEFAULT_REPO_CONFIG };
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false, problems: yamlSyntaxProblems(doc, counter, file) };
  const raw: unknown = doc.toJS() ?? {};
  const parsed = repoConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error.issues, doc, counter, file);
    return { ok: false, problems };
  }
  const config = parsed.data;
  const problems = crossCheck(config, doc, counter, file);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** Rules zod cannot express per field: unique names and dirs. (depends_on is checked at discovery,
 * because it may name auto-discovered projects.) */
function crossCheck(config: RepoConfig, doc: Document, counter: LineCounter, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Set<string>();
  const dirs = new Set<string>();
  config.projects.forEach((p, i) => {
    if (names.has(p.name)) {
      problems.push({ file, line: lineOf(doc, counter, ["projects", i, "name"]), key: `projects[${i}].name`, message: `duplicate project name "${p.name}"` });
    }
    const dir = p.dir.replace(/\/+$/, "");
    if (dirs.has(dir)) {
      problems.push({ file, line: lineOf(doc, counter, ["projects", i, "dir"]), key: `projects[${i}].dir`, message: `another project already uses directory "${dir}"` });
    }
    names.add(p.name);
    dirs.add(dir);
  });
  return problems;
}
