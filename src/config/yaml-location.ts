/** Where in a YAML document a key sits, so config errors can name the file, line and key. */
import { isMap, isNode, isScalar, type Document, type LineCounter } from "yaml";
import type { z } from "zod";

/** `["projects", 0, "dir"]` → `projects[0].dir`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");
}

/** The line of the node at `path`, or of its nearest ancestor that exists. */
export function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

/** The line of a key itself (an unknown key's value may start on a later line). */
export function keyLineOf(doc: Document, counter: LineCounter, parent: readonly PropertyKey[], key: string): number | null {
  const node = parent.length === 0 ? doc.contents : doc.getIn(parent as (string | number)[], true);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return counter.linePos(pair.key.range[0]).line;
    }
  }
  return lineOf(doc, counter, [...parent, key]);
}

/** A problem in a YAML file, with where to look. */
export interface YamlProblem {
  readonly file: string;
  readonly line: number | null;
  /** Dotted key path, e.g. `projects[0].dir`; empty for the whole file. */
  readonly key: string;
  readonly message: string;
}

/** The document's syntax errors, each with its line. */
export function yamlSyntaxProblems(doc: Document, counter: LineCounter, file: string): YamlProblem[] {
  return doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line,
    key: "",
    message: `invalid YAML: ${e.message.split("\n")[0]}`,
  }));
}

/** zod's issues as problems naming the key and its line (an unknown key is its own problem). */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], doc: Document, counter: LineCounter, file: string): YamlProblem[] {
  const problems: YamlProblem[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        problems.push({ file, line: keyLineOf(doc, counter, issue.path, k), key: keyPath([...issue.path, k]), message: "unknown key" });
      }
    } else if (issue.code === "invalid_key") {
      // A record's key failed its schema: say why (zod's own message is "Invalid key in record").
      const why = issue.issues[0]?.message ?? issue.message;
      problems.push({ file, line: lineOf(doc, counter, issue.path), key: keyPath(issue.path), message: why });
    } else {
      problems.push({ file, line: lineOf(doc, counter, issue.path), key: keyPath(issue.path), message: issue.message });
    }
  }
  return problems;
}
