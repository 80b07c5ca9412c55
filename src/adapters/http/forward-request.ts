import { request, type IncomingMessage, type ServerResponse } from "node:http";

/**
 * Forwards a request to the main process's web server on a loopback port and streams the answer
 * back (server-sent events included). Hop-by-hop headers are left to each connection.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, port: number): void {
  const headers = { ...req.headers };
  delete headers.connection;
  delete headers["keep-alive"];
  const upstream = request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers }, (answer) => {
    const out = { ...answer.headers };
    delete out.connection;
    delete out["keep-alive"];
    delete out["transfer-encoding"];
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" }).end(`${JSON.stringify({ error: "the web UI is not available" })}\n`);
    else res.destroy();
  });
  // A browser leaving a live log closes the upstream connection too.
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}
