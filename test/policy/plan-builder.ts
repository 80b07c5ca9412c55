/**
 * Builds plan JSON by hand, following the documented JSON output format (format_version "1.2",
 * https://opentofu.org/docs/internals/json-format/): `resource_changes[]` with
 * `change.{actions, after, after_unknown, after_sensitive}`. For unit tests of rules; the real
 * plans of test/policy/real-plans.test.ts check that tofu's output has this shape.
 */
export interface ChangeSpec {
  address: string;
  type?: string;
  name?: string;
  module_address?: string;
  mode?: "managed" | "data";
  provider?: string;
  actions?: string[];
  after?: Record<string, unknown> | null;
  after_unknown?: unknown;
  after_sensitive?: unknown;
}

export const HCLOUD = "registry.opentofu.org/hetznercloud/hcloud";
export const AWS = "registry.terraform.io/hashicorp/aws";
export const GOOGLE = "registry.terraform.io/hashicorp/google";

/** `module.x.hcloud_network.this["a"]` → type hcloud_network, name this. */
function typeAndName(address: string): { type: string; name: string } {
  const parts = address.replace(/\[[^\]]*\]$/, "").split(".");
  return { type: parts[parts.length - 2] as string, name: parts[parts.length - 1] as string };
}

export function resourceChange(spec: ChangeSpec) {
  const derived = typeAndName(spec.address);
  return {
    address: spec.address,
    ...(spec.module_address ? { module_address: spec.module_address } : {}),
    mode: spec.mode ?? "managed",
    type: spec.type ?? derived.type,
    name: spec.name ?? derived.name,
    provider_name: spec.provider ?? HCLOUD,
    change: {
      actions: spec.actions ?? ["create"],
      before: null,
      after: spec.after ?? {},
      after_unknown: spec.after_unknown ?? {},
      before_sensitive: false,
      after_sensitive: spec.after_sensitive ?? {},
    },
  };
}

export function planJson(changes: ChangeSpec[], extra: Record<string, unknown> = {}) {
  return {
    format_version: "1.2",
    terraform_version: "1.12.6",
    planned_values: { root_module: {} },
    resource_changes: changes.map(resourceChange),
    configuration: { root_module: {} },
    ...extra,
  };
}

/** Provider schemas of the fixtures: map attributes per resource type (as provider-schemas.ts gives). */
export const SCHEMAS: Record<string, Record<string, string[]>> = {
  [HCLOUD]: {
    hcloud_network: ["labels"],
    hcloud_network_subnet: [],
    hcloud_firewall: ["labels"],
    hcloud_placement_group: ["labels"],
    hcloud_server: ["labels"],
  },
  // As in the AWS provider: tags is set by the user, tags_all is computed (tags + default_tags).
  [AWS]: {
    aws_vpc: ["tags", "tags_all"],
    aws_s3_bucket: ["tags", "tags_all"],
    aws_instance: ["tags", "tags_all", "volume_tags"],
    aws_iam_role: ["tags", "tags_all"],
    aws_route: [],
  },
  // As in the Google provider (5.0+): labels is set by the user; terraform_labels (labels +
  // provider default_labels) and effective_labels (also labels set outside) are computed.
  [GOOGLE]: {
    google_storage_bucket: ["labels", "terraform_labels", "effective_labels"],
    google_compute_instance: ["labels", "terraform_labels", "effective_labels", "metadata"],
    google_compute_network: [],
  },
  "registry.opentofu.org/hashicorp/time": { time_static: ["triggers"] },
  "terraform.io/builtin/terraform": { terraform_data: [] },
};

export function lookup(provider: string, type: string): string[] | undefined {
  return SCHEMAS[provider]?.[type];
}
