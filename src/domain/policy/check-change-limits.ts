import { isDestroy, isReplace, type PlannedChange } from "./plan-changes.js";
import type { ChangeLimitsRule } from "./policy-rule.js";
import type { RuleContext } from "./rule-context.js";

const LISTED = 5;

function listed(changes: readonly PlannedChange[]): string {
  const names = changes.slice(0, LISTED).map((c) => c.address);
  return changes.length > LISTED ? `${names.join(", ")} and ${changes.length - LISTED} more` : names.join(", ");
}

/** Caps how much one plan may destroy or replace: large blast radii need a deliberate policy change. */
export function checkChangeLimits(rule: ChangeLimitsRule, ctx: RuleContext): void {
  const destroys: PlannedChange[] = [];
  const replaces: PlannedChange[] = [];
  for (const change of ctx.changes) {
    if (change.mode !== "managed") continue;
    if (isDestroy(change.change.actions)) destroys.push(change);
    else if (isReplace(change.change.actions)) replaces.push(change);
  }
  const where = rule.file.startsWith("(") ? `rule ${rule.id}` : `${rule.file} (rule ${rule.id})`;
  const check = (found: readonly PlannedChange[], max: number | undefined, verb: string, setting: string) => {
    if (max === undefined || found.length <= max) return;
    ctx.report(
      rule,
      null,
      `the plan ${verb} ${found.length} resource${found.length === 1 ? "" : "s"}, more than the ${max} allowed: ${listed(found)}. Split the change into smaller pull requests, or raise ${setting} in ${where}`,
    );
  };
  check(destroys, rule.maxDestroys, "destroys", "max_destroys");
  check(replaces, rule.maxReplaces, "replaces", "max_replaces");
}
