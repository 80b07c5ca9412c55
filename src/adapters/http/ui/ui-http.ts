import type { IncomingMessage, ServerResponse } from "node:http";

/** Sent with every UI answer: no framing, no inline scripts, no caching of pages that show infrastructure. */
export const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, ...SECURITY_HEADERS, ...headers }).end(body);
}
export const sendHtml = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => send(res, status, "text/html; charset=utf-8", body, headers);
export const redirect = (res: ServerResponse, to: string, status = 303) => send(res, status, "text/plain", `see ${to}\n`, { location: to });

export function readForm(req: IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams | null> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", () => resolve(null));
  });
}

/**
 * A form post from a page of this server, not from another site riding on the browser's saved
 * Basic credentials (CSRF): the browser's Origin (or Sec-Fetch-Site) must say so.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site === "same-origin";
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

