import { isCreateOrUpdate } from "./plan-changes.js";
import type { PolicySettings } from "./policy-result.js";
import type { ProjectTagRule } from "./policy-rule.js";
import { readEffectiveTag } from "./read-tag.js";
import type { RuleContext } from "./rule-context.js";
import { fixHint, tagKeyFor } from "./taggable-lookup.js";

/** The built-in rule: every taggable managed resource created or updated carries Project = <project>. */
export function checkProjectTag(rule: ProjectTagRule, settings: PolicySettings, ctx: RuleContext): void {
  const configuredKey = rule.key ?? settings.tagKey;
  const preference = rule.attributes ?? settings.tagAttributes;
  const unknownValue = rule.unknownValues ?? settings.unknownTagValues;
  const expected = ctx.expectedTag;
  for (const change of ctx.changes) {
    if (change.mode !== "managed" || !isCreateOrUpdate(change.change.actions)) continue;
    const attributes = ctx.tagAttributes(change, preference);
    if (attributes === undefined || attributes.length === 0) continue;
    const attribute = attributes[0] as string;
    const key = tagKeyFor(change.provider_name, configuredKey);
    const read = readEffectiveTag(change.change, attributes, key);
    switch (read.state) {
      case "missing":
        ctx.report(rule, change, `no ${key} tag in ${attribute}: ${fixHint("add", attributes, key, expected)}`);
        break;
      case "unknown-map":
        ctx.report(rule, change, `${attribute} is unknown until apply, so the ${key} tag cannot be checked; use values known at plan time: ${fixHint("set", attributes, key, expected)}`, { unknownValue });
        break;
      case "unknown":
        ctx.report(rule, change, `${key} tag value is unknown until apply; use a value known at plan time: ${fixHint("set", attributes, key, expected)}`, { unknownValue });
        break;
      case "known":
        if (read.value !== expected) {
          const why = ctx.project.expectedTag !== undefined && ctx.project.expectedTag !== ctx.project.name
            ? "this project's project_tag in tfgate.yaml"
            : "the project's name";
          ctx.report(rule, change, `${key} tag is ${read.shown}, expected "${expected}" (${why}): ${fixHint("set", attributes, key, expected)}`);
        }
        break;
    }
  }
}
