import type { PlanCounts } from "../plan/plan-outcome.js";

/**
 * `+1 ~0 −2 ±1`. Safe as is in Markdown and in table cells: digits and four symbols, and a single
 * `~` cannot open a strikethrough.
 */
export function formatCounts(c: PlanCounts): string {
  return `+${c.add} ~${c.change} −${c.destroy} ±${c.replace}`;
}

/** "2 to destroy, 1 to replace" for the warning at the top. */
export function describeDestruction(c: PlanCounts): string {
  const parts: string[] = [];
  if (c.destroy > 0) parts.push(`${c.destroy} to destroy`);
  if (c.replace > 0) parts.push(`${c.replace} to replace`);
  return parts.join(", ");
}
