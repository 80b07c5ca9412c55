import { fork, type ChildProcess } from "node:child_process";
import type { Delivery } from "./webhook-server.js";
import type { MainToWebhook, WebhookProcessData, WebhookToMain } from "./webhook-process-protocol.js";

export interface WebhookProcessServer {
  readonly url: string;
  /** What GET /healthz answers; the main process updates it. */
  setHealth(status: number, body: unknown): void;
  close(): Promise<void>;
}

export interface WebhookProcessOptions extends WebhookProcessData {
  readonly dispatch: (delivery: Delivery, ackSeconds: number) => Promise<void>;
  readonly onError: (message: string, delivery?: Pick<Delivery, "id" | "event">) => void;
  readonly restart?: RestartPolicy;
  /** How long a webhook process may take to listen before it is killed and counted as failed. */
  readonly startTimeoutMs?: number;
}

/**
 * When a webhook process dies: at once if it had run for `healthyAfterMs`, else after a delay
 * that doubles from `firstDelayMs` up to `maxDelayMs` with each quick death in a row, so a
 * process that cannot stay up (a bad port, a broken build) is not restarted in a tight loop.
 */
export interface RestartPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly healthyAfterMs: number;
}

const DEFAULT_RESTART: RestartPolicy = { firstDelayMs: 250, maxDelayMs: 30_000, healthyAfterMs: 60_000 };

/**
 * Starts the webhook endpoint in its own process (see webhook-process.ts) and hands accepted
 * deliveries to `dispatch` here. A webhook process that dies (a bug) is replaced on the same
 * port: a server that silently stopped taking webhooks would be worse than a logged restart.
 */
export async function startWebhookProcess(options: WebhookProcessOptions): Promise<WebhookProcessServer> {
  const { dispatch, onError, restart = DEFAULT_RESTART, startTimeoutMs = 30_000, ...data } = options;
  let closing = false;
  /** Quick deaths in a row, for the restart delay. */
  let quickDeaths = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  /** None after a healthy run; then doubling from the first delay with each quick death, up to the maximum. */
  const restartDelay = () => (quickDeaths === 0 ? 0 : Math.min(restart.maxDelayMs, restart.firstDelayMs * 2 ** (quickDeaths - 1)));
  /** A replacement being started: close() waits for it, then closes it too. */
  let starting: Promise<unknown> | null = null;
  let health: MainToWebhook = { type: "health", status: 200, body: `{"status":"starting"}\n` };
  let onClosed: (() => void) | null = null;
  const post = (child: ChildProcess, m: MainToWebhook) => {
    if (child.connected) child.send(m);
  };

  const start = (processData: WebhookProcessData): Promise<{ child: ChildProcess; url: string }> =>
    new Promise((resolve, reject) => {
      // No inherited --inspect or --cpu-prof flags: this process must stay small and quiet.
      // Nor the environment: it holds the App's private key, which the public endpoint never needs
      // (what it needs comes over IPC; it starts no process, so it needs no PATH either).
      const child = fork(new URL("./webhook-process.js", import.meta.url), [], { execArgv: [], env: {}, stdio: ["ignore", "inherit", "inherit", "ipc"] });
      let listening = false;
      let listeningSince = 0;
      child.on("message", (m: WebhookToMain) => {
        switch (m.type) {
          case "listening":
            listening = true;
            listeningSince = Date.now();
            clearTimeout(startTimer);
            post(child, health);
            resolve({ child, url: m.url });
            break;
          case "delivery": {
            // The webhook process verified and parsed this body already: it is valid JSON.
            const delivery: Delivery = { id: m.id, event: m.event, payload: JSON.parse(m.body) as unknown };
            dispatch(delivery, m.ackSeconds).catch((err: unknown) => onError(err instanceof Error ? err.message : String(err), delivery));
            break;
          }
          case "error":
            if (m.fatal && !listening) reject(new Error(m.message));
            else onError(m.message);
            break;
          case "closed":
            onClosed?.();
            break;
        }
      });
      child.on("error", (err) => {
        onError(`webhook process failed: ${err.message}`);
        if (!listening) reject(err);
      });
      child.on("exit", (code, signal) => {
        if (!listening) {
          reject(new Error(`the webhook process exited (${signal ?? code}) before listening`));
          return;
        }
        if (closing) return;
        quickDeaths = Date.now() - listeningSince >= restart.healthyAfterMs ? 0 : quickDeaths + 1;
        const delay = restartDelay();
        onError(`webhook process exited (${signal ?? code}); starting a new one${delay > 0 ? ` in ${delay} ms` : ""}`);
        scheduleRestart(processData, delay);
      });
      // A process that neither listens nor exits would otherwise hold up close() for good.
      const startTimer = setTimeout(() => {
        if (listening) return;
        reject(new Error(`the webhook process did not listen within ${startTimeoutMs} ms`));
        child.kill("SIGKILL");
      }, startTimeoutMs);
      child.on("exit", () => clearTimeout(startTimer));
      post(child, { type: "start", data: processData });
    });

  /** Starts a replacement after `delay` ms; a failed start is retried on the same schedule. */
  const scheduleRestart = (processData: WebhookProcessData, delay: number): void => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (closing) return;
      // The first process may have listened on port 0: the new one takes the same port.
      const port = Number(new URL(current.url).port);
      starting = start({ ...processData, port }).then(
        (next) => {
          current = next;
        },
        (err: unknown) => {
          if (closing) return;
          quickDeaths++;
          const again = restartDelay();
          onError(`could not restart the webhook process: ${(err as Error).message}; trying again in ${again} ms`);
          scheduleRestart(processData, again);
        },
      );
    }, delay);
  };

  let current = await start(data);
  return {
    url: current.url,
    setHealth(status, body) {
      health = { type: "health", status, body: `${JSON.stringify(body)}\n` };
      post(current.child, health);
    },
    async close() {
      closing = true;
      if (restartTimer) clearTimeout(restartTimer);
      await starting; // a replacement that was starting is then `current`, and is closed below
      const { child } = current;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((done) => {
        let finished = false;
        const finish = () => {
          if (!finished) {
            finished = true;
            done();
          }
        };
        onClosed = finish;
        child.once("exit", finish);
        post(child, { type: "close" });
      });
    },
  };
}
