import picomatch from "picomatch";
import { isCreateOrUpdate } from "./plan-changes.js";
import type { DeniedResourceTypesRule } from "./policy-rule.js";
import type { RuleContext } from "./rule-context.js";

/** Resource types a repository does not allow. Destroying one is allowed: that is the way out. */
export function checkDeniedTypes(rule: DeniedResourceTypesRule, ctx: RuleContext): void {
  const denied = picomatch([...rule.types], { dot: true });
  const reason = rule.reason ? ` (${rule.reason})` : "";
  for (const change of ctx.changes) {
    if (change.mode !== "managed" || !isCreateOrUpdate(change.change.actions) || !denied(change.type)) continue;
    ctx.report(rule, change, `resource type ${change.type} is not allowed${reason}: remove it from the configuration`);
  }
}
