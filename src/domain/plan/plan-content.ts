/**
 * What a plan would do, as one canonical text: its `resource_changes` and `output_changes` from
 * `show -json`, object keys sorted, resource changes in address order. Two plans with the same
 * text make the same changes, whatever else differs between them (the plan's `timestamp`, prior
 * state, variables echoed back). It holds sensitive values in clear: hash it, never show it.
 */
import { compareText } from "../compare-text.js";

/** Bumped if the canonical form ever changes, so hashes of the old form never match new ones. */
const FORM = "tfgate-plan-content/1";

export function canonicalPlanContent(planJson: unknown): string {
  const plan = (isRecord(planJson) ? planJson : {}) as { resource_changes?: unknown; output_changes?: unknown };
  const changes = Array.isArray(plan.resource_changes) ? [...plan.resource_changes] : [];
  const keyOf = (rc: unknown) => (isRecord(rc) ? `${String(rc["address"] ?? "")}\u0000${String(rc["deposed"] ?? "")}` : "");
  changes.sort((a, b) => compareText(keyOf(a), keyOf(b)));
  const outputs = isRecord(plan.output_changes) ? plan.output_changes : {};
  return canonicalJson({ form: FORM, resource_changes: changes, output_changes: outputs });
}

/** JSON with every object's keys in a fixed order (UTF-16 code units); arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort(compareText);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
