import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import type { ContractViolation, RequestLocation, SchemaError } from "./contract-violation.js";
import { createRouteTable } from "./openapi-routes.js";
import type { RouteEntry, RouteTable } from "./openapi-routes.js";
import { isObject, referencedComponents, toJsonSchema } from "./openapi-schema.js";
import type { JsonSchema } from "./openapi-schema.js";

/**
 * GitHub's REST contract, from `@octokit/openapi` (`generated/api.github.com.json`), reduced to
 * the operations a caller names: validators are compiled for those alone, because compiling the
 * whole 13 MB description would take longer than the tests it guards.
 */
export interface OpenApiContractOptions {
  /** Path to `api.github.com.json` (the `$ref` form; the dereferenced one is 73 MB). */
  readonly specPath: string;
  /** GitHub operation ids, e.g. "issues/create-comment". */
  readonly operationIds: readonly string[];
}

export type RouteMatch =
  | { readonly kind: "operation"; readonly operationId: string; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: "unimplemented"; readonly operationId: string }
  | { readonly kind: "unknown" };

export interface ContractRequest {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly body: { readonly kind: "none" } | { readonly kind: "json"; readonly value: unknown } | { readonly kind: "malformed" };
}

export interface ContractResponse {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** undefined when the response has no body. */
  readonly body: unknown;
}

export interface OpenApiContract {
  match(method: string, pathname: string): RouteMatch;
  checkRequest(request: ContractRequest): ContractViolation[];
  checkResponse(response: ContractResponse): ContractViolation | undefined;
}

export type OpenApiContractErrorCode = "unknown-operation" | "unreadable-description";

export class OpenApiContractError extends Error {
  readonly code: OpenApiContractErrorCode;

  constructor(code: OpenApiContractErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OpenApiContractError";
    this.code = code;
  }
}

/**
 * Memoised per process: the description is immutable and parsing it costs a few hundred ms, so
 * every fake in a test file shares one compiled contract. Failures are not cached.
 */
const loaded = new Map<string, Promise<OpenApiContract>>();

export function loadOpenApiContract(options: OpenApiContractOptions): Promise<OpenApiContract> {
  const key = `${options.specPath}\n${[...new Set(options.operationIds)].sort().join(",")}`;
  let contract = loaded.get(key);
  if (!contract) {
    contract = buildContract(options);
    contract.catch(() => loaded.delete(key));
    loaded.set(key, contract);
  }
  return contract;
}

const HTTP_METHODS = ["get", "put", "post", "patch", "delete", "head", "options"];
const COMPONENTS_ID = "https://tfgate.invalid/github-openapi-components.json";

interface PreparedOperation {
  readonly parameters: readonly Record<string, unknown>[];
  readonly requestBody: Record<string, unknown>;
  readonly responses: Readonly<Record<string, Record<string, unknown>>>;
}

interface CompiledOperation {
  readonly pathParams: ValidateFunction;
  readonly query: ValidateFunction;
  readonly body: { readonly required: boolean; readonly validate: ValidateFunction } | undefined;
  /** Per documented status: a body validator, or "empty" for responses without content. */
  readonly responses: ReadonlyMap<string, ValidateFunction | "empty">;
}

async function buildContract(options: OpenApiContractOptions): Promise<OpenApiContract> {
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(await readFile(options.specPath, "utf8")) as Record<string, unknown>;
  } catch (cause) {
    throw new OpenApiContractError("unreadable-description", `cannot read the OpenAPI description at ${options.specPath}`, { cause });
  }
  const components = (spec.components ?? {}) as Record<string, Record<string, unknown>>;
  const paths = (spec.paths ?? {}) as Record<string, Record<string, unknown>>;
  const resolve = (value: unknown): Record<string, unknown> => resolveComponentRef(components, value);

  const all: RouteEntry[] = [];
  // Resolved up front so that nothing keeps the parsed description alive once this returns.
  const wanted = new Map<string, PreparedOperation>();
  for (const [template, item] of Object.entries(paths)) {
    const shared = Array.isArray(item.parameters) ? item.parameters.map(resolve) : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation) || typeof operation.operationId !== "string") continue;
      const parameters = [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters.map(resolve) : [])];
      const multiSegment = new Set(parameters.filter((p) => p["x-multi-segment"] === true).map((p) => String(p.name)));
      all.push({ method: method.toUpperCase(), template, operationId: operation.operationId, multiSegment });
      if (options.operationIds.includes(operation.operationId)) {
        const responses = isObject(operation.responses) ? operation.responses : {};
        wanted.set(operation.operationId, {
          parameters,
          requestBody: resolve(operation.requestBody ?? {}),
          responses: Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, resolve(r)])),
        });
      }
    }
  }
  const missing = options.operationIds.filter((id) => !wanted.has(id));
  if (missing.length > 0) throw new OpenApiContractError("unknown-operation", `not in the OpenAPI description: ${missing.join(", ")}`);

  // Convert only the component schemas the chosen operations reach, then let Ajv resolve $refs.
  const schemas = (components.schemas ?? {}) as Record<string, unknown>;
  const refFor = (name: string) => `${COMPONENTS_ID}#/definitions/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  const pending = [...referencedComponents([...wanted.values()])];
  const definitions: Record<string, JsonSchema> = {};
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name in definitions) continue;
    const source = schemas[name];
    definitions[name] = toJsonSchema(source, { refFor });
    for (const next of referencedComponents(source)) if (!(next in definitions)) pending.push(next);
  }
  const componentsDoc = { $id: COMPONENTS_ID, definitions };
  const strict = newAjv({ coerceTypes: false });
  const coercing = newAjv({ coerceTypes: "array" });
  strict.addSchema(componentsDoc);
  coercing.addSchema(componentsDoc);
  const convert = (schema: unknown) => toJsonSchema(schema, { refFor });

  // Compiled on first use: a test that touches three operations pays for three.
  const compiled = new Map<string, CompiledOperation>();
  const compiledFor = (operationId: string): CompiledOperation => {
    const known = compiled.get(operationId);
    if (known) return known;
    const chosen = wanted.get(operationId);
    if (!chosen) throw new OpenApiContractError("unknown-operation", `no validators for ${operationId}`);
    const op: CompiledOperation = {
      pathParams: coercing.compile(paramsSchema(chosen.parameters, "path", convert, false)),
      query: coercing.compile(paramsSchema(chosen.parameters, "query", convert, true)),
      body: compileBody(strict, chosen.requestBody, convert),
      responses: compileResponses(strict, chosen.responses, convert),
    };
    compiled.set(operationId, op);
    return op;
  };
  return createContract(createRouteTable(all), new Set(wanted.keys()), compiledFor);
}

function createContract(routes: RouteTable, implemented: ReadonlySet<string>, operation: (id: string) => CompiledOperation): OpenApiContract {
  return {
    match(method, pathname) {
      // Match against every GitHub route first, so a more specific route the fake lacks is not
      // mistaken for a less specific one it has.
      const hit = routes.find(method, pathname);
      if (!hit) return { kind: "unknown" };
      const { operationId } = hit.entry;
      return implemented.has(operationId) ? { kind: "operation", operationId, params: hit.params } : { kind: "unimplemented", operationId };
    },
    checkRequest(request) {
      const op = operation(request.operationId);
      const out: ContractViolation[] = [];
      const fail = (location: RequestLocation, errors: readonly SchemaError[]) =>
        out.push({
          kind: "invalid-request",
          direction: "request",
          operationId: request.operationId,
          method: request.method,
          path: request.path,
          location,
          errors,
          message: `${request.method} ${request.path} (${request.operationId}): ${location} ${errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ")}`,
        });
      const params = { ...request.params };
      if (!op.pathParams(params)) fail("path", schemaErrors(op.pathParams.errors));
      const query: Record<string, unknown> = { ...request.query };
      if (!op.query(query)) fail("query", schemaErrors(op.query.errors));
      if (request.body.kind === "malformed") {
        fail("body", [{ instancePath: "", schemaPath: "", message: "is not valid JSON" }]);
      } else if (request.body.kind === "none") {
        if (op.body?.required) fail("body", [{ instancePath: "", schemaPath: "", message: "is required" }]);
      } else if (!op.body) {
        fail("body", [{ instancePath: "", schemaPath: "", message: "is not accepted by this operation" }]);
      } else if (!op.body.validate(request.body.value)) {
        fail("body", schemaErrors(op.body.validate.errors));
      }
      return out;
    },
    checkResponse(response) {
      const op = operation(response.operationId);
      const where = `${response.method} ${response.path} (${response.operationId}) → ${response.status}`;
      const base = { direction: "response", operationId: response.operationId, method: response.method, path: response.path, status: response.status } as const;
      const documented = op.responses.get(String(response.status)) ?? op.responses.get("default");
      if (documented === undefined) {
        // GitHub answers 401, 403, 500… on any operation although the description lists only some;
        // an error answer is fine as long as it has GitHub's error shape.
        if (response.status >= 400 && isObject(response.body) && typeof response.body.message === "string") return undefined;
        if (response.status >= 400) {
          return { kind: "invalid-response", ...base, errors: [{ instancePath: "", schemaPath: "", message: "error body needs a message" }], message: `${where}: error body needs a message` };
        }
        return { kind: "undocumented-status", ...base, message: `${where}: status not documented for this operation` };
      }
      if (documented === "empty") {
        // Some errors are documented without content, yet GitHub sends its usual error JSON.
        if (response.body === undefined || (response.status >= 400 && isObject(response.body) && typeof response.body.message === "string")) return undefined;
        return { kind: "invalid-response", ...base, errors: [{ instancePath: "", schemaPath: "", message: "must have no body" }], message: `${where}: must have no body` };
      }
      if (documented(response.body)) return undefined;
      const errors = response.body === undefined ? [{ instancePath: "", schemaPath: "", message: "a JSON body is required" }] : schemaErrors(documented.errors);
      return { kind: "invalid-response", ...base, errors, message: `${where}: ${errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ")}` };
    },
  };
}

function newAjv(options: { coerceTypes: false | "array" }): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateSchema: false, coerceTypes: options.coerceTypes });
  formatsModule.default(ajv);
  // Formats GitHub invented: their values are plain strings/numbers, so there is nothing to check.
  for (const name of ["repo.nwo", "timestamp"]) ajv.addFormat(name, true);
  return ajv;
}

function resolveComponentRef(components: Record<string, Record<string, unknown>>, value: unknown): Record<string, unknown> {
  if (!isObject(value)) return {};
  if (typeof value.$ref !== "string") return value;
  const match = /^#\/components\/([^/]+)\/(.+)$/.exec(value.$ref);
  const target = match?.[1] && match[2] ? components[match[1]]?.[match[2]] : undefined;
  if (!isObject(target)) throw new OpenApiContractError("unreadable-description", `unresolvable reference ${value.$ref}`);
  return resolveComponentRef(components, target);
}

function paramsSchema(parameters: readonly Record<string, unknown>[], location: "path" | "query", convert: (s: unknown) => JsonSchema, closed: boolean): object {
  const chosen = parameters.filter((p) => p.in === location);
  return {
    type: "object",
    properties: Object.fromEntries(chosen.map((p) => [String(p.name), convert(p.schema ?? {})])),
    required: chosen.filter((p) => p.required === true).map((p) => String(p.name)),
    // GitHub ignores unknown query parameters; here they are reported, since one is usually a typo.
    ...(closed ? { additionalProperties: false } : {}),
  };
}

function compileBody(ajv: Ajv, requestBody: Record<string, unknown>, convert: (s: unknown) => JsonSchema): CompiledOperation["body"] {
  const schema = jsonSchemaOf(requestBody);
  if (schema === undefined) return undefined;
  const converted = convert(schema);
  // GitHub drops unknown body fields silently, hiding typos in the app; the fake refuses them.
  const closed = isObject(converted) && isObject(converted.properties) && converted.additionalProperties === undefined ? { ...converted, additionalProperties: false } : converted;
  return { required: requestBody.required === true, validate: ajv.compile(closed as object) };
}

function compileResponses(ajv: Ajv, responses: PreparedOperation["responses"], convert: (s: unknown) => JsonSchema): Map<string, ValidateFunction | "empty"> {
  const out = new Map<string, ValidateFunction | "empty">();
  for (const [status, response] of Object.entries(responses)) {
    const schema = jsonSchemaOf(response);
    out.set(status, schema === undefined ? "empty" : ajv.compile(convert(schema) as object));
  }
  return out;
}

function jsonSchemaOf(holder: Record<string, unknown>): unknown {
  const content = holder.content;
  if (!isObject(content)) return undefined;
  const json = content["application/json"] ?? Object.entries(content).find(([type]) => type.endsWith("json"))?.[1];
  return isObject(json) ? json.schema : undefined;
}

function schemaErrors(errors: ErrorObject[] | null | undefined): SchemaError[] {
  // anyOf branches multiply errors; the first few are enough to find the field.
  return (errors ?? []).slice(0, 20).map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    message: `${e.message ?? "is invalid"}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ""}`,
  }));
}
