import { createHash, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { problemPage } from "./setup-pages.js";

export interface PageAnswer {
  readonly status: number;
  readonly html: string;
}

export interface SetupSessionOptions<T> {
  /** Where to listen; 0.0.0.0 only makes sense inside a container with a published port. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Random, secret: GitHub hands it back in the redirect, proving the redirect answers this session. */
  readonly state: string;
  /** The origin of GitHub's web UI, the only place the page's form may post to. */
  readonly formOrigin: string;
  /** Ctrl-C or the time limit: ends the wait, unless GitHub's redirect is being handled. */
  readonly signal: AbortSignal;
  /** The page at GET /, given the callback URL the manifest must name. */
  startPage(redirectUrl: string): string;
  /** GitHub's redirect with a verified state; runs at most once per session. */
  complete(code: string): Promise<{ readonly page: PageAnswer; readonly result: T }>;
}

export type SessionEnd<T> = { readonly kind: "completed"; readonly result: T } | { readonly kind: "aborted"; readonly reason: unknown };

export interface SetupSession<T> {
  /** The page to open in a browser. */
  readonly url: string;
  /** Where GitHub sends the browser back (`/callback`). */
  readonly redirectUrl: string;
  /** Settles once the browser has its answer to the redirect, or on abort while nothing runs. */
  readonly ended: Promise<SessionEnd<T>>;
  close(): Promise<void>;
}

/**
 * The local end of GitHub's manifest flow: a page whose form posts the manifest to GitHub, and the
 * callback GitHub redirects the browser to with a one-time code. The callback is honoured once,
 * and only with this session's state and a Host header naming this listener (a web page reaching
 * 127.0.0.1 through DNS rebinding sends its own host name).
 */
export async function startSetupSession<T>(options: SetupSessionOptions<T>): Promise<SetupSession<T>> {
  let phase: "waiting" | "completing" | "done" = "waiting";
  let settle: (end: SessionEnd<T>) => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const ended = new Promise<SessionEnd<T>>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // The callback URL carries the code and the state: no page of this flow hands it on.
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; form-action ${options.formOrigin}; frame-ancestors 'none'; base-uri 'none'`,
  };
  const send = (res: ServerResponse, answer: PageAnswer) => {
    res.writeHead(answer.status, { ...headers, "content-length": String(Buffer.byteLength(answer.html)) }).end(answer.html);
  };
  const problem = (status: number, title: string, message: string): PageAnswer => ({ status, html: problemPage(title, message) });

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, problem(500, "Setup failed", "tfgate setup hit an unexpected error; see its output."));
      phase = "done";
      fail(err);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const browserHost = browserHostFor(options.host);
  const base = `http://${browserHost}:${port}`;
  const redirectUrl = `${base}/callback`;
  const allowedHosts = new Set([`${browserHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has((req.headers.host ?? "").toLowerCase())) {
      send(res, problem(403, "Wrong address", `Open ${base}/ instead.`));
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, problem(405, "Method not allowed", "This page only answers GET."));
      return;
    }
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === "/") send(res, { status: 200, html: options.startPage(redirectUrl) });
    else if (url.pathname === "/callback" && req.method === "GET") await callback(url, res);
    else send(res, problem(404, "Not found", `Open ${base}/ to start.`));
  }

  async function callback(url: URL, res: ServerResponse): Promise<void> {
    if (phase === "done") {
      send(res, problem(410, "Setup is over", "This tfgate setup session has ended; run `tfgate setup` again if needed."));
      return;
    }
    if (phase === "completing") {
      send(res, problem(409, "Setup in progress", "GitHub's answer is already being handled; see the terminal."));
      return;
    }
    const state = url.searchParams.get("state");
    if (state === null || !sameSecret(state, options.state)) {
      send(res, problem(400, "Unknown setup session", `This link does not belong to the running \`tfgate setup\` (${state === null ? "no state" : "wrong state"}). Start again from ${base}/.`));
      return;
    }
    const code = url.searchParams.get("code");
    if (!code) {
      send(res, problem(400, "No code from GitHub", "GitHub's redirect carries no code; start again from the first page."));
      return;
    }
    phase = "completing";
    const { page, result } = await options.complete(code);
    const finish = () => {
      phase = "done";
      settle({ kind: "completed", result });
    };
    // A browser that gave up meanwhile gets no page, but the terminal still hears the outcome.
    if (res.destroyed || !res.socket || res.socket.destroyed) {
      finish();
      return;
    }
    res.once("close", finish);
    send(res, page);
  }

  const onAbort = () => {
    if (phase !== "waiting") return;
    phase = "done";
    settle({ kind: "aborted", reason: options.signal.reason });
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener("abort", onAbort, { once: true });

  return {
    url: `${base}/`,
    redirectUrl,
    ended,
    close: () =>
      new Promise<void>((resolve) => {
        options.signal.removeEventListener("abort", onAbort);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Compares secrets in constant time; hashing first makes the lengths equal. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The host a browser uses to reach the listener: a wildcard address is reached through loopback. */
function browserHostFor(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
