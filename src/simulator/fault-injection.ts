/** Failures a resilience test can ask for: GitHub's 5xx and its secondary rate limit. */
export type Fault =
  | { readonly kind: "server-error"; readonly status?: 500 | 502 | 503 }
  | { readonly kind: "secondary-rate-limit"; readonly retryAfterSeconds: number };

export interface FaultResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly message: string; readonly documentation_url: string };
}

export interface FaultInjector {
  /** The next `times` calls of the operation (e.g. "issues/create-comment") fail with `fault`. */
  failNext(operationId: string, times: number, fault: Fault): void;
  /** Consumes one planned failure for the operation, if any. */
  take(operationId: string): FaultResponse | undefined;
  /** Planned failures not yet consumed, by operation. */
  pending(): Readonly<Record<string, number>>;
  /**
   * The next call of the operation gets no answer until `clear()`: the caller hangs there, the
   * way a crash test catches a server in the middle of its work.
   */
  holdNext(operationId: string): void;
  /** Waits while the operation's call is held (at once when none is planned). */
  hold(operationId: string): Promise<void>;
  /** Calls being held now. */
  held(): number;
  /** Forgets planned failures and answers every held call. */
  clear(): void;
}

export function createFaultInjector(): FaultInjector {
  const planned = new Map<string, Fault[]>();
  const holds = new Set<string>();
  const waiting: (() => void)[] = [];
  return {
    failNext(operationId, times, fault) {
      const queue = planned.get(operationId) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      planned.set(operationId, queue);
    },
    take(operationId) {
      const fault = planned.get(operationId)?.shift();
      return fault && respond(fault);
    },
    pending: () => Object.fromEntries([...planned].filter(([, q]) => q.length > 0).map(([id, q]) => [id, q.length])),
    holdNext: (operationId) => void holds.add(operationId),
    hold: (operationId) => {
      if (!holds.delete(operationId)) return Promise.resolve();
      return new Promise((release) => waiting.push(release));
    },
    held: () => waiting.length,
    clear: () => {
      planned.clear();
      holds.clear();
      for (const release of waiting.splice(0)) release();
    },
  };
}

function respond(fault: Fault): FaultResponse {
  if (fault.kind === "server-error") {
    const status = fault.status ?? 500;
    return { status, headers: {}, body: { message: status === 500 ? "Server Error" : "Service Unavailable", documentation_url: "https://docs.github.com/rest" } };
  }
  // The wording matters: Octokit's throttling plugin recognises a secondary limit by "secondary rate".
  return {
    status: 403,
    headers: { "retry-after": String(fault.retryAfterSeconds), "x-ratelimit-remaining": "4999" },
    body: {
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      documentation_url: "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    },
  };
}
