import type { FakeRepo } from "../fake-github-model.js";
import type { RepresentationContext } from "../representations/representation-context.js";

export type Caller =
  /** Operations GitHub serves without credentials (the manifest conversion: its code is the credential). */
  | { readonly kind: "anonymous" }
  | { readonly kind: "app" }
  | { readonly kind: "installation"; readonly installationId: number; readonly login: string };

export interface HandlerRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly caller: Caller;
  readonly rep: RepresentationContext;
  /** The request's absolute URL on the fake, for Link headers. */
  readonly url: URL;
}

export interface HandlerResponse {
  readonly status: number;
  /** undefined for no body (204). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Why the fake answered this way, for the request log (never sent). */
  readonly note?: string;
}

export interface OperationHandler {
  /** None, a GitHub App JWT, or an installation token. */
  readonly auth: Caller["kind"];
  handle(request: HandlerRequest): HandlerResponse;
}

const DOCS = "https://docs.github.com/rest";

export function errorResponse(status: number, message: string, note?: string): HandlerResponse {
  return { status, body: { message, documentation_url: DOCS, status: String(status) }, ...(note ? { note } : {}) };
}

export function notFound(note?: string): HandlerResponse {
  return errorResponse(404, "Not Found", note);
}

/** GitHub's 422 shape for a field it refuses. */
export function validationFailed(resource: string, field: string, message: string): HandlerResponse {
  return {
    status: 422,
    body: { message: "Validation Failed", errors: [{ resource, code: "custom", field, message }], documentation_url: DOCS, status: "422" },
  };
}

/** The repository named in the path, if the caller's installation can see it (else GitHub says 404). */
export function visibleRepo(request: HandlerRequest): FakeRepo | HandlerResponse {
  const { owner = "", repo = "" } = request.params;
  const found = request.rep.state.repo(owner, repo);
  if (!found) return notFound(`no repository ${owner}/${repo}`);
  if (request.caller.kind === "installation" && found.installationId !== request.caller.installationId) {
    return notFound(`installation ${request.caller.installationId} cannot see ${owner}/${repo}`);
  }
  return found;
}

export function isResponse(value: object): value is HandlerResponse {
  return "status" in value && typeof value.status === "number";
}

export function intParam(request: HandlerRequest, name: string): number {
  return Number.parseInt(request.params[name] ?? "", 10);
}

/** The body field as a string, when the contract already made sure it is one. */
export function bodyField(request: HandlerRequest, name: string): unknown {
  const body = request.body;
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/** One page of a list with GitHub's Link header (per_page default 30, at most 100). */
export function paginate<T>(items: readonly T[], request: HandlerRequest): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(request.query.get("per_page") ?? "30", 10) || 30));
  const pageNumber = Math.max(1, Number.parseInt(request.query.get("page") ?? "1", 10) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (page: number, rel: string) => {
    const url = new URL(request.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(page));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(link(Math.min(pageNumber - 1, last), "prev"));
  if (pageNumber < last) links.push(link(pageNumber + 1, "next"), link(last, "last"));
  if (pageNumber > 1) links.push(link(1, "first"));
  return {
    page: items.slice((pageNumber - 1) * perPage, pageNumber * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}
