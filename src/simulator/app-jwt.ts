import { createPublicKey, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";

export type AppJwtCheck =
  | { readonly ok: true; readonly issuer: string }
  | { readonly ok: false; readonly reason: string };

export interface AppJwtOptions {
  readonly publicKey: KeyObject | string;
  /** Accepted `iss` values: the app id (GitHub also accepts the client id). */
  readonly issuers: readonly string[];
  readonly now: Date;
}

/** GitHub refuses app JWTs that live longer than this. */
const MAX_LIFETIME_SECONDS = 600;
/** Clock drift GitHub tolerates on iat/exp (Octokit back-dates iat by 30 s for it). */
const SKEW_SECONDS = 60;

/**
 * Checks a GitHub App JWT the way GitHub does: RS256 signature by the app's key, `iss` naming the
 * app, and a short, current validity window.
 */
export function verifyAppJwt(jwt: string, options: AppJwtOptions): AppJwtCheck {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload) return { ok: false, reason: "JWT header or payload is not JSON" };
  if (header.alg !== "RS256") return { ok: false, reason: `alg ${String(header.alg)} is not RS256` };
  const key = typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
  const signed = verify("RSA-SHA256", Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, "base64url"));
  if (!signed) return { ok: false, reason: "signature does not match the app's public key" };
  const { iat, exp, iss } = payload;
  if (typeof iat !== "number" || typeof exp !== "number") return { ok: false, reason: "iat and exp must be numbers" };
  if (!options.issuers.includes(String(iss))) return { ok: false, reason: `iss ${String(iss)} is not this app` };
  const now = Math.floor(options.now.getTime() / 1000);
  if (iat > now + SKEW_SECONDS) return { ok: false, reason: "iat is in the future" };
  if (exp <= now) return { ok: false, reason: "JWT expired" };
  if (exp - now > MAX_LIFETIME_SECONDS + SKEW_SECONDS) return { ok: false, reason: "exp is too far in the future" };
  return { ok: true, issuer: String(iss) };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
