import { createHash, timingSafeEqual } from "node:crypto";

export interface UiCredentials {
  readonly user: string;
  readonly password: string;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * The login in an `Authorization: Basic` header, when it matches; null otherwise. Compared as
 * digests in constant time, so neither the length nor a prefix of the password leaks.
 */
export function checkBasicAuth(header: string | undefined, expected: UiCredentials): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const userOk = timingSafeEqual(digest(user), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(password), digest(expected.password));
  return userOk && passwordOk ? user : null;
}
