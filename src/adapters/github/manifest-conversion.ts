import { createPrivateKey } from "node:crypto";
import { Octokit } from "@octokit/core";

/** The app GitHub created from a manifest, with the credentials it hands out exactly once. */
export interface CreatedApp {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly htmlUrl: string;
  readonly clientId: string;
  /** The account that owns the app (a user or an organization). */
  readonly owner: string | null;
  /** The app's private key (PEM). Secret. */
  readonly pem: string;
  /** GitHub generates one when the manifest has a webhook; null otherwise. Secret. */
  readonly webhookSecret: string | null;
}

export type ManifestConversion =
  | { readonly status: "created"; readonly app: CreatedApp }
  /** GitHub answered and said no: 404 for an unknown, used or expired code (codes live one hour). */
  | { readonly status: "refused"; readonly httpStatus: number; readonly message: string }
  | { readonly status: "unreachable"; readonly message: string; readonly cause: unknown }
  | { readonly status: "invalid-response"; readonly message: string };

export interface ManifestConversionOptions {
  /** https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  readonly apiUrl: string;
  /** The temporary code GitHub put in the redirect after the app was created. */
  readonly code: string;
  readonly timeoutMs?: number;
}

/**
 * Completes GitHub's manifest flow: exchanges the one-time code for the app's id, private key and
 * webhook secret (`POST /app-manifests/{code}/conversions`). The call is unauthenticated: the code
 * is the credential.
 */
export async function convertManifestCode(options: ManifestConversionOptions): Promise<ManifestConversion> {
  const octokit = new Octokit({
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: "tfgate-setup",
    // Octokit logs request failures to the console; the caller reports them itself.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  let data: unknown;
  try {
    const response = await octokit.request("POST /app-manifests/{code}/conversions", {
      code: options.code,
      request: { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) },
    });
    data = response.data;
  } catch (err) {
    // Octokit reports network failures as status 500 too; only an error with a response is GitHub's answer.
    const { status, response } = err as { status?: unknown; response?: { data?: { message?: unknown } } };
    if (typeof status === "number" && response !== undefined) {
      const message = response.data?.message;
      return { status: "refused", httpStatus: status, message: typeof message === "string" ? message : `HTTP ${status}` };
    }
    return { status: "unreachable", message: `cannot reach ${options.apiUrl}: ${(err as Error).message}`, cause: err };
  }
  return createdApp(data);
}

function createdApp(data: unknown): ManifestConversion {
  const d = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof d[key] === "string" ? d[key] : undefined);
  const id = d.id;
  const slug = text("slug");
  const htmlUrl = text("html_url");
  const pem = text("pem");
  if (typeof id !== "number" || !Number.isInteger(id) || !slug || !htmlUrl || !pem) {
    return { status: "invalid-response", message: "GitHub's answer lacks the app's id, slug, html_url or private key" };
  }
  // The key is about to be the only copy anywhere: refuse to store something that is not one.
  try {
    createPrivateKey(pem);
  } catch {
    return { status: "invalid-response", message: "GitHub's answer holds no usable private key" };
  }
  const owner = d.owner as { login?: unknown } | null | undefined;
  const webhookSecret = d.webhook_secret;
  return {
    status: "created",
    app: {
      id,
      slug,
      name: text("name") ?? slug,
      htmlUrl,
      clientId: text("client_id") ?? "",
      owner: typeof owner?.login === "string" ? owner.login : null,
      pem,
      webhookSecret: typeof webhookSecret === "string" && webhookSecret !== "" ? webhookSecret : null,
    },
  };
}
