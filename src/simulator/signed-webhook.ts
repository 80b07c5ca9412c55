import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";

export interface SignedWebhook {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A delivery as GitHub sends it: JSON body, event and delivery headers, HMAC-SHA256 signature. */
export async function signedWebhook(event: string, payload: unknown, secret: string, options: { deliveryId?: string } = {}): Promise<SignedWebhook> {
  const body = JSON.stringify(payload);
  return {
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/tfgate-simulator",
      "x-github-event": event,
      "x-github-delivery": options.deliveryId ?? randomUUID(),
      "x-hub-signature-256": await sign(secret, body),
    },
    body,
  };
}

/** Signs and POSTs a delivery to a webhook endpoint over real HTTP. */
export async function deliverWebhook(target: string, event: string, payload: unknown, secret: string, options: { deliveryId?: string } = {}): Promise<Response> {
  const { headers, body } = await signedWebhook(event, payload, secret, options);
  return fetch(target, { method: "POST", headers, body });
}
