/**
 * The part of `tofu show -json` (JSON plan format 1.x) that policies read: `resource_changes`.
 * Checked just enough to fail closed on something that is not a plan, without copying 10,000
 * entries into new objects.
 */

export interface PlannedChange {
  /** e.g. `module.network.hcloud_network.this` or `hcloud_placement_group.workers["a"]`. */
  readonly address: string;
  /** e.g. `module.network`; absent for the root module. */
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** Full provider address, e.g. `registry.opentofu.org/hetznercloud/hcloud`. */
  readonly provider_name: string;
  /** Set on the delete of a deposed (create_before_destroy) object. */
  readonly deposed?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly after?: unknown;
    /** Mirrors `after`: `true` where a value is unknown until apply. */
    readonly after_unknown?: unknown;
    /** Mirrors `after`: `true` where a value is sensitive. */
    readonly after_sensitive?: unknown;
  };
}

export type PlanChangesResult =
  | { readonly ok: true; readonly changes: readonly PlannedChange[] }
  | { readonly ok: false; readonly message: string };

export function readPlanChanges(planJson: unknown): PlanChangesResult {
  if (typeof planJson !== "object" || planJson === null || Array.isArray(planJson)) {
    return { ok: false, message: "the plan JSON is not an object" };
  }
  const plan = planJson as { format_version?: unknown; resource_changes?: unknown };
  if (typeof plan.format_version !== "string" || !plan.format_version.startsWith("1.")) {
    return { ok: false, message: `unsupported plan JSON format_version ${JSON.stringify(plan.format_version)} (expected 1.x)` };
  }
  // A plan with no changes may omit the list.
  if (plan.resource_changes === undefined) return { ok: true, changes: [] };
  if (!Array.isArray(plan.resource_changes)) return { ok: false, message: "resource_changes is not a list" };
  const changes = plan.resource_changes as unknown[];
  for (let i = 0; i < changes.length; i++) {
    const rc = changes[i] as Partial<Record<keyof PlannedChange, unknown>> | null;
    if (
      typeof rc !== "object" || rc === null ||
      typeof rc.address !== "string" || typeof rc.type !== "string" || typeof rc.name !== "string" ||
      (rc.mode !== "managed" && rc.mode !== "data") || typeof rc.provider_name !== "string" ||
      typeof rc.change !== "object" || rc.change === null ||
      !Array.isArray((rc.change as { actions?: unknown }).actions)
    ) {
      return { ok: false, message: `resource_changes[${i}] is not a resource change` };
    }
  }
  return { ok: true, changes: changes as PlannedChange[] };
}

/** A create, an update, or the create half of a replace: the resource exists afterwards as planned. */
export function isCreateOrUpdate(actions: readonly string[]): boolean {
  return actions.includes("create") || actions.includes("update");
}

export function isReplace(actions: readonly string[]): boolean {
  return actions.length === 2 && actions.includes("delete") && actions.includes("create");
}

export function isDestroy(actions: readonly string[]): boolean {
  return actions.length === 1 && actions[0] === "delete";
}
