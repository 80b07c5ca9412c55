import { generateKeyPair, createPublicKey, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { verifyAppJwt } from "./app-jwt.js";
import type { ContractViolation } from "./contract-violation.js";
import { createFakeGitHubState } from "./fake-github-state.js";
import type { FakeGitHubState } from "./fake-github-state.js";
import { createFaultInjector } from "./fault-injection.js";
import type { FaultInjector } from "./fault-injection.js";
import { appHandlers } from "./handlers/app-handlers.js";
import { checkHandlers } from "./handlers/check-handlers.js";
import { commentHandlers } from "./handlers/comment-handlers.js";
import type { Caller, HandlerResponse, OperationHandler } from "./handlers/operation-handler.js";
import { errorResponse } from "./handlers/operation-handler.js";
import { issueHandlers } from "./handlers/issue-handlers.js";
import { pullHandlers } from "./handlers/pull-handlers.js";
import { statusHandlers } from "./handlers/status-handlers.js";
import { loadOpenApiContract } from "./openapi-contract.js";
import type { ContractRequest } from "./openapi-contract.js";
import type { RepresentationContext } from "./representations/representation-context.js";

const HANDLERS: Readonly<Record<string, OperationHandler>> = { ...appHandlers, ...pullHandlers, ...commentHandlers, ...issueHandlers, ...statusHandlers, ...checkHandlers };

/** The GitHub operations the fake implements (GitHub operation ids). */
export const FAKE_GITHUB_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

export interface FakeGitHubOptions {
  /** `@octokit/openapi`'s `generated/api.github.com.json`; defaults to the installed package's. */
  readonly openApiPath?: string;
  readonly appId?: number;
  /** The app's slug: its comments appear as `<slug>[bot]`. */
  readonly appSlug?: string;
  /** The account that owns the app (shown in `GET /app`). */
  readonly appOwner?: string;
  /** The app's private key (PEM) as GitHub hands it out; a fresh 2048-bit key when absent. */
  readonly privateKey?: string;
  /** Web links (`html_url`). */
  readonly htmlUrl?: string;
  /** The simulated clock for timestamps and token expiry. */
  readonly now?: () => Date;
  readonly tokenTtlMs?: number;
  readonly maxBodyBytes?: number;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly status: number;
  readonly note: string | undefined;
  /** When the answer went out (Date.now()). */
  readonly at: number;
}

export interface FakeGitHub {
  /** Base URL for Octokit's `baseUrl` (http://127.0.0.1:PORT). */
  readonly url: string;
  readonly appId: number;
  /** The app's private key (PKCS#1 PEM), for `@octokit/app` / `@octokit/auth-app`. */
  readonly privateKey: string;
  readonly state: FakeGitHubState;
  /** Contract violations so far (live); a passing test leaves it empty. */
  readonly violations: readonly ContractViolation[];
  /** Returns the violations so far and forgets them: for tests that provoke some on purpose. */
  takeViolations(): ContractViolation[];
  /** Every request answered, with the fake's reason for refusals. */
  readonly requests: readonly RequestRecord[];
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

/**
 * A GitHub that lives on 127.0.0.1: stateful, authenticated like GitHub (app JWT → installation
 * token), and checked both ways against GitHub's OpenAPI description. Used by the tests and by the
 * demo, so both exercise the same contract.
 */
export async function createFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const contract = await loadOpenApiContract({ specPath: options.openApiPath ?? defaultOpenApiPath(), operationIds: FAKE_GITHUB_OPERATIONS });
  const privateKey = options.privateKey ?? (await newPrivateKey());
  const publicKey = createPublicKey(privateKey);
  const appId = options.appId ?? 1;
  const now = options.now ?? (() => new Date());
  const state = createFakeGitHubState({ appSlug: options.appSlug ?? "tfgate", now, tokenTtlMs: options.tokenTtlMs ?? 3_600_000 });
  const violations: ContractViolation[] = [];
  const requests: RequestRecord[] = [];
  const faults = createFaultInjector();
  const maxBodyBytes = options.maxBodyBytes ?? 25 * 1024 * 1024;

  const authenticate = (handler: OperationHandler, header: string | undefined): Caller | HandlerResponse => {
    if (handler.auth === "anonymous") return { kind: "anonymous" };
    const match = /^(token|bearer)\s+(\S+)$/i.exec(header ?? "");
    if (!match?.[2]) return errorResponse(401, "Requires authentication", "no Authorization header");
    if (handler.auth === "app") {
      if (match[1]?.toLowerCase() !== "bearer") return errorResponse(401, "A JSON web token could not be decoded", "app operations need Bearer <JWT>");
      // Real time, not the simulated clock: the JWT comes from the app's real clock.
      const check = verifyAppJwt(match[2], { publicKey, issuers: [String(appId)], now: new Date() });
      return check.ok ? { kind: "app" } : errorResponse(401, "A JSON web token could not be decoded", check.reason);
    }
    const token = state.token(match[2]);
    if (!token) return errorResponse(401, "Bad credentials", "not an installation token this fake issued");
    if (token.expiresAt <= now()) return errorResponse(401, "Bad credentials", "installation token expired");
    return { kind: "installation", installationId: token.installationId, login: state.botLogin };
  };

  const handle = async (req: IncomingMessage): Promise<{ response: HandlerResponse; operationId?: string }> => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", fake.url);
    const raw = await readBody(req, maxBodyBytes);
    if (raw === undefined) return { response: errorResponse(413, "Payload too large") };
    const path = url.pathname;
    const match = contract.match(method, path);
    if (match.kind === "unknown") {
      violations.push({ kind: "unknown-route", method, path, message: `${method} ${path} is not a GitHub REST operation` });
      return { response: errorResponse(404, "Not Found", "unknown route") };
    }
    if (match.kind === "unimplemented") {
      violations.push({ kind: "unimplemented-operation", method, path, operationId: match.operationId, message: `${method} ${path} is GitHub's ${match.operationId}, which the fake does not implement` });
      return { response: errorResponse(404, "Not Found", "operation not implemented by the fake"), operationId: match.operationId };
    }
    const { operationId, params } = match;
    const body = parseBody(raw);
    const request: ContractRequest = { operationId, method, path, params, query: queryRecord(url.searchParams), body };
    const refused = contract.checkRequest(request);
    if (refused.length > 0) {
      violations.push(...refused);
      const inPath = refused.some((v) => v.kind === "invalid-request" && v.location === "path");
      return { response: inPath ? errorResponse(404, "Not Found", "path parameters invalid") : errorResponse(422, "Invalid request.", refused.map((v) => v.message).join("\n")), operationId };
    }
    await faults.hold(operationId);
    const fault = faults.take(operationId);
    if (fault) return { response: { ...fault, note: "injected fault" }, operationId };
    const handler = HANDLERS[operationId];
    if (!handler) throw new Error(`no handler for ${operationId}`);
    const caller = authenticate(handler, req.headers.authorization);
    if ("status" in caller) return { response: caller, operationId };
    const response = handler.handle({ params, query: url.searchParams, body: body.kind === "json" ? body.value : undefined, caller, rep, url });
    const broken = contract.checkResponse({ operationId, method, path, status: response.status, body: response.body });
    if (broken) violations.push(broken);
    return { response, operationId };
  };

  const server = createServer((req, res) => {
    handle(req).then(
      ({ response, operationId }) => {
        requests.push({ method: req.method ?? "GET", path: req.url ?? "/", operationId, status: response.status, note: response.note, at: Date.now() });
        send(res, response);
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        violations.push({ kind: "fake-error", method: req.method ?? "GET", path: req.url ?? "/", message });
        requests.push({ method: req.method ?? "GET", path: req.url ?? "/", operationId: undefined, status: 500, note: message, at: Date.now() });
        send(res, errorResponse(500, "Server Error"));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${port}`,
    appId,
    privateKey,
    state,
    violations,
    takeViolations: () => violations.splice(0),
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  // Requests cannot arrive before this line runs: it follows listen() in the same tick.
  const rep: RepresentationContext = { apiUrl: fake.url, htmlUrl: (options.htmlUrl ?? "https://github.com").replace(/\/+$/, ""), appId, appOwner: options.appOwner ?? "tfgate-dev", state };
  return fake;
}

/** The description shipped with `@octokit/openapi` (a dev dependency: tests and the demo). */
export function defaultOpenApiPath(): string {
  return createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
}

async function newPrivateKey(): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)("rsa", {
    modulusLength: 2048,
    // PKCS#1 is the form GitHub hands out, so the client code sees what production sees.
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return privateKey;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string): ContractRequest["body"] {
  if (raw.trim() === "") return { kind: "none" };
  try {
    return { kind: "json", value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: "malformed" };
  }
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return out;
}

function send(res: ServerResponse, response: HandlerResponse): void {
  const headers: Record<string, string> = { "x-github-request-id": randomUUID(), "x-github-api-version-selected": "2022-11-28", ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) }).end(text);
}
