import picomatch from "picomatch";
import { isCreateOrUpdate } from "./plan-changes.js";
import type { PolicySettings } from "./policy-result.js";
import { compileTagPattern, type RequiredTag, type RequiredTagsRule } from "./policy-rule.js";
import { readEffectiveTag } from "./read-tag.js";
import type { RuleContext } from "./rule-context.js";
import { tagKeyFor, tagSource } from "./taggable-lookup.js";

interface CompiledTag {
  readonly tag: RequiredTag;
  readonly accepts: (value: string) => boolean;
  /** What a valid value looks like, for messages. */
  readonly expected: string;
  /** Placeholder value for the fix hint. */
  readonly example: string;
}

function compile(tag: RequiredTag): CompiledTag {
  const m = tag.match;
  switch (m.kind) {
    case "present":
      return { tag, accepts: () => true, expected: "any value", example: "<value>" };
    case "one-of": {
      const allowed = new Set(m.values);
      const list = m.values.map((v) => JSON.stringify(v)).join(", ");
      return { tag, accepts: (v) => allowed.has(v), expected: `one of ${list}`, example: m.values.length === 1 ? (m.values[0] as string) : `<one of ${m.values.join(" | ")}>` };
    }
    case "pattern": {
      const re = compileTagPattern(m.pattern);
      return { tag, accepts: (v) => re.test(v), expected: `a value matching /${m.pattern}/`, example: `<matching /${m.pattern}/>` };
    }
  }
}

/** Tags a team requires on every taggable resource of the matching types. */
export function checkRequiredTags(rule: RequiredTagsRule, settings: PolicySettings, ctx: RuleContext): void {
  const preference = rule.attributes ?? settings.tagAttributes;
  const unknownValue = rule.unknownValues ?? settings.unknownTagValues;
  const typeMatches = picomatch([...rule.resourceTypes], { dot: true });
  const tags = rule.tags.map(compile);
  for (const change of ctx.changes) {
    if (change.mode !== "managed" || !isCreateOrUpdate(change.change.actions) || !typeMatches(change.type)) continue;
    const attributes = ctx.tagAttributes(change, preference);
    if (attributes === undefined || attributes.length === 0) continue;
    const attribute = attributes[0] as string;
    const where = tagSource(attributes);
    for (const { tag: configured, accepts, expected, example } of tags) {
      const tag = { ...configured, key: tagKeyFor(change.provider_name, configured.key) };
      const read = readEffectiveTag(change.change, attributes, tag.key);
      if (read.state === "missing") {
        ctx.report(rule, change, `no ${tag.key} tag in ${attribute}: add ${tag.key} = "${example}" to ${where}`);
      } else if (read.state === "unknown-map" || read.state === "unknown") {
        const what = read.state === "unknown" ? `${tag.key} tag value is` : `${attribute} is`;
        ctx.report(rule, change, `${what} unknown until apply, so ${tag.key} cannot be checked: use a value known at plan time in ${where}`, { unknownValue });
      } else if (typeof read.value !== "string" || !accepts(read.value)) {
        ctx.report(rule, change, `${tag.key} tag is ${read.shown}, expected ${expected}: set it in ${where}`);
      }
    }
  }
}
