import { createHmac, timingSafeEqual } from "node:crypto";

/** `X-Tfgate-Signature-256`'s value: `sha256=` and the hex HMAC-SHA256 of the exact bytes sent (as GitHub's `X-Hub-Signature-256`). */
export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** What a receiver does (and the tests): recompute over the raw bytes, compare in constant time. */
export function verifySignature(secret: string, body: string | Uint8Array, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
