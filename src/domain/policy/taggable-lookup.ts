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
 * How to fix a tag: `add`/`set` it in the attribute the user writes. `tags_all` is computed
 * (tags + provider default_tags) and never set by hand, so point at both of its sources.
 */
export function fixHint(verb: "add" | "set", attributes: readonly string[], key: string, value: string): string {
  const first = attributes[0];
  const assignment = `${verb} ${key} = "${value}"`;
  const prep = verb === "add" ? "to" : "in";
  if (first === "tags_all") {
    return attributes.includes("tags")
      ? `${assignment} ${prep} tags, or ${prep} the provider's default_tags`
      : `${assignment} ${prep} the provider's default_tags`;
  }
  return `${assignment} ${prep} ${first ?? "the resource's tags"}`;
}
