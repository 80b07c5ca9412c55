/**
 * A copy of a log argument with every string passed through `scrub`: nested objects, arrays,
 * keys, and errors (message, stack, cause and extra fields such as Octokit's `request`).
 * The original is never changed: callers keep using the objects they logged.
 */

/** Deeper than pino's own depth limit (5) ever prints, so truncating there changes no output. */
const MAX_DEPTH = 12;

export function scrubDeep(value: unknown, scrub: (text: string) => string): unknown {
  return copy(value, scrub, new WeakMap(), 0);
}

function copy(value: unknown, scrub: (text: string) => string, seen: WeakMap<object, unknown>, depth: number): unknown {
  if (typeof value === "string") return scrub(value);
  if (typeof value !== "object" || value === null) return value;
  // A cycle stays a cycle in the copy, so pino prints "[Circular]" as it would have.
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (depth >= MAX_DEPTH) return "[…]";
  const next = (v: unknown) => copy(v, scrub, seen, depth + 1);

  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(next(item));
    return out;
  }
  if (value instanceof Error) {
    // Same prototype, so pino's error serializer still sees an Error of the same type; message
    // and stack are own non-enumerable properties, hence getOwnPropertyNames.
    const out = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
    seen.set(value, out);
    for (const key of Object.getOwnPropertyNames(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      const item = "value" in descriptor ? descriptor.value : readSafely(value, key);
      Object.defineProperty(out, key, { value: next(item), enumerable: descriptor.enumerable ?? false, writable: true, configurable: true });
    }
    return out;
  }
  // Whatever JSON would print: toJSON() when there is one (URL, Date), else own enumerable fields.
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === "function") return next((withToJson.toJSON as () => unknown).call(value));
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) out[scrub(key)] = next(item);
  return out;
}

/** A throwing getter must not turn a log line into a crash. */
function readSafely(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
