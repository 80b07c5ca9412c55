import { Webhooks } from "@octokit/webhooks";

export interface WebhookVerifier {
  /** Checks `X-Hub-Signature-256` against the raw body, in constant time. */
  verify(rawBody: string, signature: string): Promise<boolean>;
}

/** @octokit/webhooks does the HMAC-SHA256 check (timing-safe comparison). */
export function createWebhookVerifier(secret: string): WebhookVerifier {
  if (!secret) throw new Error("a webhook secret is required");
  const webhooks = new Webhooks({ secret });
  return {
    async verify(rawBody, signature) {
      if (!signature.startsWith("sha256=")) return false;
      try {
        return await webhooks.verify(rawBody, signature);
      } catch {
        return false;
      }
    },
  };
}
