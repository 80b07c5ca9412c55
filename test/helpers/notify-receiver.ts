import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedNotification {
  readonly headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  readonly body: string;
  /** performance.now() when the request had fully arrived. */
  readonly at: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Holds the answer this long (a receiver slower than the caller). */
  readonly delayMs?: number;
}

/**
 * A webhook receiver on 127.0.0.1: records every request and answers each with the next of
 * `answers` (then 200), so a test scripts failures and sees the retries arrive.
 */
export async function startNotifyReceiver(answers: Answer[] = []): Promise<{ url: string; received: ReceivedNotification[]; close(): Promise<void> }> {
  const received: ReceivedNotification[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() });
      const answer = answers.shift() ?? { status: 200 };
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end("ok");
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // A token in the path, as Slack's URLs have: the logs must show only the origin.
    url: `http://127.0.0.1:${port}/hooks/T0KEN-in-the-path`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
