import { createHmac, timingSafeEqual } from "node:crypto";

export interface WebhookVerifier {
  /**
   * Starts checking an `X-Hub-Signature-256` value against a body fed in as it arrives: the body
   * is checked on its raw bytes, and no second copy of it is made to check it.
   */
  begin(signature: string): SignatureCheck;
}

export interface SignatureCheck {
  update(chunk: Buffer): void;
  /** Whether the bytes fed in are what the signature signed (constant-time). Call it once, at the end. */
  matches(): boolean;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * GitHub's scheme: HMAC-SHA256 of the raw body with the webhook secret, hex, after `sha256=`;
 * compared in constant time. (The same check as @octokit/webhooks' `verify`, which takes the body
 * as one string: that needs the whole body decoded, then encoded again, beside the bytes read.)
 */
export function createWebhookVerifier(secret: string): WebhookVerifier {
  if (!secret) throw new Error("a webhook secret is required");
  return {
    begin(signature) {
      const hmac = createHmac("sha256", secret);
      const given = SIGNATURE.exec(signature)?.[1];
      return {
        update: (chunk) => void hmac.update(chunk),
        matches: () => given !== undefined && timingSafeEqual(hmac.digest(), Buffer.from(given, "hex")),
      };
    },
  };
}
