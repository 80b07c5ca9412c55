import type { PlannedChange } from "./plan-changes.js";
import { COMPUTED_TAGS } from "./taggable-lookup.js";

/** One tag of a planned resource, as far as the plan knows it. */
export type TagRead =
  /** The tag map is known and has no such key (or there is no tag map at all). */
  | { readonly state: "missing" }
  /** The whole tag map is unknown until apply, so the key may or may not be there. */
  | { readonly state: "unknown-map" }
  | { readonly state: "unknown" }
  /** `shown` is safe to print: the value itself, or `(sensitive)`. */
  | { readonly state: "known"; readonly value: unknown; readonly shown: string };

type Obj = Record<string, unknown>;

function child(v: unknown, key: string): unknown {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj)[key] : undefined;
}

/** Reads `after[attribute][key]` using after_unknown and after_sensitive. */
export function readTag(change: PlannedChange["change"], attribute: string, key: string): TagRead {
  const unknownAll = change.after_unknown;
  const unknownMap = child(unknownAll, attribute);
  if (unknownAll === true || unknownMap === true) return { state: "unknown-map" };
  if (child(unknownMap, key) === true) return { state: "unknown" };
  const map = child(change.after, attribute);
  if (typeof map !== "object" || map === null || !Object.hasOwn(map, key)) return { state: "missing" };
  const value = (map as Obj)[key];
  if (value === null || value === undefined) return { state: "missing" };
  const sensitiveAll = change.after_sensitive;
  const sensitiveMap = child(sensitiveAll, attribute);
  const sensitive = sensitiveAll === true || sensitiveMap === true || child(sensitiveMap, key) === true;
  return { state: "known", value, shown: sensitive ? "(sensitive)" : JSON.stringify(value) };
}

/**
 * Reads the tag from the effective tag attribute (the first of `attributes`).
 *
 * Computed maps: the AWS provider marks the whole `tags_all` unknown as soon as any tag value is
 * unknown (e.g. `Name = aws_vpc.x.id`), and Google's `terraform_labels` likewise. Such a map is
 * the provider's defaults merged with what the resource writes (`tags`, `labels`), and the
 * resource's own value wins on a clash, so a known key there is what the map will hold: use it
 * rather than report a known value as unknown.
 */
export function readEffectiveTag(change: PlannedChange["change"], attributes: readonly string[], key: string): TagRead {
  const first = attributes[0];
  if (first === undefined) return { state: "missing" };
  const read = readTag(change, first, key);
  const written = COMPUTED_TAGS[first]?.written;
  if (read.state === "unknown-map" && written !== undefined && attributes.includes(written)) {
    const fromWritten = readTag(change, written, key);
    if (fromWritten.state === "known") return fromWritten;
  }
  return read;
}
