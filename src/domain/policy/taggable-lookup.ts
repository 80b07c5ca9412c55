/**
 * What the evaluator knows of provider schemas: the map-typed attributes of a managed resource
 * type (e.g. `["labels"]` for hcloud_network, `["tags", "tags_all"]` for aws_vpc), or undefined
 * when the provider's schema is not known, which the evaluator treats as an error (fail closed).
 * The adapter (adapters/terraform/provider-schemas.ts) answers it from `tofu providers schema -json`.
 */
export type TaggableLookup = (providerAddress: string, resourceType: string) => readonly string[] | undefined;

/**
 * The configured tag attributes the type has, in the configured order of preference: the first
 * one is the resource's effective tags. Empty means the type cannot be tagged.
 */
export function tagAttributesOf(mapAttributes: readonly string[], preference: readonly string[]): string[] {
  return preference.filter((a) => mapAttributes.includes(a));
}

/**
 * Tag maps the provider computes, never written by hand: AWS's `tags_all` (tags + provider
 * default_tags), Google's `terraform_labels` (labels + provider default_labels) and
 * `effective_labels` (those and labels set outside OpenTofu). Each has the attribute people
 * write and the provider setting it merges in.
 */
export const COMPUTED_TAGS: Readonly<Record<string, { readonly written: string; readonly defaults: string }>> = {
  tags_all: { written: "tags", defaults: "default_tags" },
  terraform_labels: { written: "labels", defaults: "default_labels" },
  effective_labels: { written: "labels", defaults: "default_labels" },
};

/** Where a person sets a tag of the effective attribute `attributes[0]`, for messages. */
export function tagSource(attributes: readonly string[]): string {
  const first = attributes[0] ?? "the resource's tags";
  const computed = COMPUTED_TAGS[first];
  if (!computed) return first;
  return attributes.includes(computed.written) ? `${computed.written} (or the provider's ${computed.defaults})` : `the provider's ${computed.defaults}`;
}

/**
 * The tag key as the provider can hold it: Google label keys are lowercase only (the API refuses
 * `Project`), so on Google resources the configured key is looked up lowercased.
 */
export function tagKeyFor(providerAddress: string, key: string): string {
  return /\/google(-beta)?$/.test(providerAddress) ? key.toLowerCase() : key;
}

/**
 * How to fix a tag: `add`/`set` it in the attribute the user writes. A computed map is never set
 * by hand, so point at both of its sources.
 */
export function fixHint(verb: "add" | "set", attributes: readonly string[], key: string, value: string): string {
  const first = attributes[0];
  const assignment = `${verb} ${key} = "${value}"`;
  const prep = verb === "add" ? "to" : "in";
  const computed = first === undefined ? undefined : COMPUTED_TAGS[first];
  if (computed) {
    return attributes.includes(computed.written)
      ? `${assignment} ${prep} ${computed.written}, or ${prep} the provider's ${computed.defaults}`
      : `${assignment} ${prep} the provider's ${computed.defaults}`;
  }
  return `${assignment} ${prep} ${first ?? "the resource's tags"}`;
}
