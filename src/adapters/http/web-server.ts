import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebServer {
  /** Where the webhook process forwards every request that is not a webhook or a health check. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The main process's HTTP server for the UI and /metrics, on a loopback port of its own: the
 * public port belongs to the webhook process (which stays fast), and forwards other paths here,
 * because these pages need what only the main process has (the queue, live logs). It does its own
 * authentication, so reaching the loopback port directly grants nothing more.
 */
export async function startWebServer(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>, onError: (err: unknown) => void): Promise<WebServer> {
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      onError(err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(`${JSON.stringify({ error: "internal error" })}\n`);
      else res.end();
    });
  });
  server.headersTimeout = 15_000;
  // No requestTimeout: a live log (server-sent events) stays open as long as the run.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Live logs keep connections open: end them, or close() waits for the runs.
        server.closeAllConnections();
      }),
  };
}
