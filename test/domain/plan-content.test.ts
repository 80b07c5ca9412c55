import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalPlanContent } from "../../src/domain/plan/plan-content.js";

/** Shaped like `tofu show -json` (format 1.2), trimmed to what matters here. */
const rc = (address: string, input: string) => ({
  address,
  mode: "managed",
  type: "terraform_data",
  name: address.split(".")[1],
  provider_name: "terraform.io/builtin/terraform",
  change: { actions: ["create"], before: null, after: { input, triggers_replace: null }, after_unknown: { id: true, output: true }, before_sensitive: false, after_sensitive: {} },
});
const plan = (over: Record<string, unknown> = {}) => ({
  format_version: "1.2",
  timestamp: "2026-12-04T15:42:54Z",
  planned_values: { root_module: {} },
  prior_state: {},
  resource_changes: [rc("terraform_data.a", "one"), rc("terraform_data.b", "two")],
  output_changes: { s: { actions: ["create"], before: null, after: "secret", after_unknown: false, before_sensitive: true, after_sensitive: true } },
  ...over,
});

describe("canonicalPlanContent", () => {
  it("is the same for two plans of the same code (the plan's timestamp and prior state differ)", () => {
    expect(canonicalPlanContent(plan({ timestamp: "2026-12-04T15:42:56Z", prior_state: { serial: 3 }, planned_values: { x: 1 } }))).toBe(canonicalPlanContent(plan()));
  });

  it("ignores key order and the order of resource changes", () => {
    const reordered = plan({ resource_changes: [rc("terraform_data.b", "two"), JSON.parse(JSON.stringify(rc("terraform_data.a", "one")), (_k, v: unknown) => reverseKeys(v))] });
    expect(canonicalPlanContent(reordered)).toBe(canonicalPlanContent(plan()));
  });

  it.each<[string, Record<string, unknown>]>([
    ["a value a resource will get", { resource_changes: [rc("terraform_data.a", "one"), rc("terraform_data.b", "2026-12-04T15:42:56Z")] }],
    ["a sensitive output's value", { output_changes: { s: { actions: ["create"], before: null, after: "other", after_unknown: false, before_sensitive: true, after_sensitive: true } } }],
    ["an action", { resource_changes: [rc("terraform_data.a", "one"), { ...rc("terraform_data.b", "two"), change: { ...rc("terraform_data.b", "two").change, actions: ["delete", "create"] } }] }],
    ["a resource less", { resource_changes: [rc("terraform_data.a", "one")] }],
  ])("differs when %s differs", (_name, over) => {
    expect(canonicalPlanContent(plan(over))).not.toBe(canonicalPlanContent(plan()));
  });

  it("treats a plan without changes or outputs like empty lists", () => {
    expect(canonicalPlanContent({ format_version: "1.2" })).toBe(canonicalPlanContent({ resource_changes: [], output_changes: {} }));
    expect(canonicalPlanContent(null)).toBe(canonicalPlanContent({}));
  });

  it("writes JSON whose object keys are sorted", () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: "x", u: undefined })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
  });
});

function reverseKeys(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).reverse());
}
