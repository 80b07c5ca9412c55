/**
 * `policies/*.yaml`: declarative policy rules, validated with zod into the domain's rule types.
 * Pure: the caller reads the files (from the default branch or a protected base, never the PR head) and passes their
 * texts. Every problem names the file, the key and the line, and any problem makes the whole rule
 * set unusable: the evaluator then fails closed instead of judging with part of the rules.
 */
import { z } from "zod";
import { LineCounter, parseDocument } from "yaml";
import { keyPath, lineOf, schemaProblems, yamlSyntaxProblems } from "./yaml-location.js";
import {
  compileTagPattern,
  type PolicyProblem,
  type PolicyRule,
  type PolicyRuleSet,
  type TagMatch,
} from "../domain/policy/policy-rule.js";

export const POLICY_DIR = "policies";

/** The files that are policies: YAML directly in policies/ (subfolders are free for docs, examples). */
export function isPolicyFile(path: string): boolean {
  return /^policies\/[^/]+\.ya?ml$/.test(path);
}

/**
 * Rego policies and their data documents, conftest's layout: `.rego` files anywhere below
 * policies/, JSON data anywhere, YAML data in subfolders (YAML directly in policies/ is tfgate's
 * own rule format). Tests (`*_test.rego`) are conftest's `verify` business, not the plan's.
 */
export function isRegoSource(path: string): boolean {
  if (!path.startsWith(`${POLICY_DIR}/`)) return false;
  if (path.endsWith(".rego")) return !path.endsWith("_test.rego");
  return path.endsWith(".json") || (/\.ya?ml$/.test(path) && !isPolicyFile(path));
}

const ruleId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "rule ids use letters, digits, '.', '_' and '-'");
const globs = z.array(z.string().min(1)).min(1);

const common = {
  id: ruleId,
  description: z.string().optional(),
  /** Project name globs the rule applies to; all projects when absent. */
  projects: globs.optional(),
  exclude_projects: globs.optional(),
  severity: z.enum(["error", "warning"]).default("error"),
};
const tagOptions = {
  attributes: z.array(z.string().min(1)).min(1).optional(),
  unknown_values: z.enum(["error", "warning"]).optional(),
};

const projectTagRule = z.strictObject({
  ...common,
  ...tagOptions,
  kind: z.literal("project-tag"),
  key: z.string().min(1).optional(),
});

const requiredTag = z
  .strictObject({
    key: z.string().min(1),
    allowed_values: z.array(z.string()).min(1).optional(),
    pattern: z.string().min(1).optional(),
  })
  .refine((t) => t.allowed_values === undefined || t.pattern === undefined, {
    message: "use allowed_values or pattern, not both",
    path: ["pattern"],
  });

const requiredTagsRule = z.strictObject({
  ...common,
  ...tagOptions,
  kind: z.literal("required-tags"),
  resource_types: globs.default(["*"]),
  tags: z.array(requiredTag).min(1),
});

const deniedTypesRule = z.strictObject({
  ...common,
  kind: z.literal("denied-resource-types"),
  types: globs,
  reason: z.string().min(1).optional(),
});

const changeLimitsRule = z
  .strictObject({
    ...common,
    kind: z.literal("change-limits"),
    max_destroys: z.number().int().min(0).optional(),
    max_replaces: z.number().int().min(0).optional(),
  })
  .refine((r) => r.max_destroys !== undefined || r.max_replaces !== undefined, {
    message: "set max_destroys, max_replaces or both",
    path: ["max_destroys"],
  });

const policyFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  rules: z.array(z.discriminatedUnion("kind", [projectTagRule, requiredTagsRule, deniedTypesRule, changeLimitsRule])),
});

type ParsedRule = z.infer<typeof policyFileSchema>["rules"][number];

function toRule(r: ParsedRule, file: string, line: number | null): PolicyRule {
  const base = {
    id: r.id,
    ...(r.description !== undefined ? { description: r.description } : {}),
    file,
    line,
    scope: { include: r.projects ?? ["*"], exclude: r.exclude_projects ?? [] },
    severity: r.severity,
  };
  switch (r.kind) {
    case "project-tag":
      return {
        ...base,
        kind: "project-tag",
        ...(r.key !== undefined ? { key: r.key } : {}),
        ...(r.attributes !== undefined ? { attributes: r.attributes } : {}),
        ...(r.unknown_values !== undefined ? { unknownValues: r.unknown_values } : {}),
      };
    case "required-tags":
      return {
        ...base,
        kind: "required-tags",
        resourceTypes: r.resource_types,
        tags: r.tags.map((t) => ({
          key: t.key,
          match: (t.allowed_values !== undefined
            ? { kind: "one-of", values: t.allowed_values }
            : t.pattern !== undefined
              ? { kind: "pattern", pattern: t.pattern }
              : { kind: "present" }) satisfies TagMatch,
        })),
        ...(r.attributes !== undefined ? { attributes: r.attributes } : {}),
        ...(r.unknown_values !== undefined ? { unknownValues: r.unknown_values } : {}),
      };
    case "denied-resource-types":
      return { ...base, kind: "denied-resource-types", types: r.types, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
    case "change-limits":
      return {
        ...base,
        kind: "change-limits",
        ...(r.max_destroys !== undefined ? { maxDestroys: r.max_destroys } : {}),
        ...(r.max_replaces !== undefined ? { maxReplaces: r.max_replaces } : {}),
      };
  }
}

function parseFile(file: string, text: string): { rules: PolicyRule[]; problems: PolicyProblem[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) return { rules: [], problems: yamlSyntaxProblems(doc, counter, file) };
  const raw: unknown = doc.toJS();
  // An emptied file is more likely a mistake than a wish to drop its rules: say so (fail closed).
  if (raw === null || raw === undefined) {
    return { rules: [], problems: [{ file, key: "", line: null, message: "empty policy file: write `rules: []` or delete the file" }] };
  }
  const parsed = policyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error.issues, doc, counter, file);
    return { rules: [], problems };
  }
  const problems: PolicyProblem[] = [];
  parsed.data.rules.forEach((r, i) => {
    if (r.kind !== "required-tags") return;
    r.tags.forEach((t, j) => {
      if (t.pattern === undefined) return;
      try {
        compileTagPattern(t.pattern);
      } catch (err) {
        const path = ["rules", i, "tags", j, "pattern"];
        problems.push({ file, key: keyPath(path), line: lineOf(doc, counter, path), message: `invalid regular expression: ${(err as Error).message}` });
      }
    });
  });
  const rules = parsed.data.rules.map((r, i) => toRule(r, file, lineOf(doc, counter, ["rules", i])));
  return { rules, problems };
}

/**
 * Reads the policy files of the trusted branch (paths as given, e.g. `policies/tags.yaml`).
 * No files is fine: the built-in Project tag rule still applies.
 */
export function loadPolicyRules(files: readonly { readonly path: string; readonly text: string }[]): PolicyRuleSet {
  const rules: PolicyRule[] = [];
  const problems: PolicyProblem[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, text } of sorted) {
    const parsed = parseFile(path, text);
    rules.push(...parsed.rules);
    problems.push(...parsed.problems);
  }
  const seen = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first) {
      const at = first.line === null ? first.file : `${first.file}:${first.line}`;
      const index = rules.filter((r) => r.file === rule.file).indexOf(rule);
      problems.push({ file: rule.file, key: `rules[${index}].id`, line: rule.line, message: `duplicate rule id "${rule.id}" (also at ${at})` });
    } else seen.set(rule.id, rule);
  }
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, rules };
}
