/**
 * GitHub's description is OpenAPI 3.0: its schemas are almost JSON Schema, but `nullable` is not a
 * JSON Schema keyword and Ajv only accepts it next to `type` (GitHub also puts it next to `allOf`
 * and `$ref`-only compositions). This turns one OpenAPI schema into plain draft-07 JSON Schema and
 * rewrites `#/components/schemas/X` references to wherever the caller keeps the converted copies.
 */

export type JsonSchema = { readonly [key: string]: unknown } | boolean;

/** Keywords kept as they are (the rest are annotations, vendor extensions or OpenAPI-only). */
const PLAIN = new Set([
  "type",
  "required",
  "enum",
  "const",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
]);
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf"] as const;
const COMPONENT_PREFIX = "#/components/schemas/";

export interface ConvertOptions {
  /** Maps a component name to the `$ref` the converted schema should use. */
  readonly refFor: (componentName: string) => string;
}

export function componentName(ref: string): string | undefined {
  return ref.startsWith(COMPONENT_PREFIX) ? decodeURIComponent(ref.slice(COMPONENT_PREFIX.length)) : undefined;
}

export function toJsonSchema(schema: unknown, options: ConvertOptions): JsonSchema {
  if (typeof schema === "boolean") return schema;
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === "string") {
    const name = componentName(schema.$ref);
    if (name === undefined) throw new Error(`unsupported $ref ${schema.$ref}`);
    // OpenAPI 3.0 ignores siblings of $ref, so a converter must too.
    return { $ref: options.refFor(name) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PLAIN.has(key)) out[key] = value;
  }
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, sub]) => [name, toJsonSchema(sub, options)]),
    );
  }
  if (schema.items !== undefined) out.items = toJsonSchema(schema.items, options);
  if (schema.additionalProperties !== undefined) out.additionalProperties = toJsonSchema(schema.additionalProperties, options);
  if (schema.not !== undefined) out.not = toJsonSchema(schema.not, options);
  for (const list of SCHEMA_LISTS) {
    const value = schema[list];
    if (Array.isArray(value)) out[list] = value.map((sub) => toJsonSchema(sub, options));
  }
  return schema.nullable === true ? allowNull(out) : out;
}

function allowNull(schema: Record<string, unknown>): JsonSchema {
  const { type } = schema;
  if (typeof type === "string" || Array.isArray(type)) {
    const types = Array.isArray(type) ? type : [type];
    const withNull: Record<string, unknown> = { ...schema, type: types.includes("null") ? types : [...types, "null"] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) withNull.enum = [...schema.enum, null];
    return withNull;
  }
  return { anyOf: [schema, { type: "null" }] };
}

/** Names of the components a schema refers to directly (not transitively). */
export function referencedComponents(schema: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) referencedComponents(item, into);
  } else if (isObject(schema)) {
    if (typeof schema.$ref === "string") {
      const name = componentName(schema.$ref);
      if (name !== undefined) into.add(name);
    }
    for (const [key, value] of Object.entries(schema)) {
      // Examples are data, not schemas: a "$ref" key inside one means nothing.
      if (key !== "example" && key !== "examples") referencedComponents(value, into);
    }
  }
  return into;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
