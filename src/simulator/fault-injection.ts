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
  clear(): void;
}

export function createFaultInjector(): FaultInjector {
  const planned = new Map<string, Fault[]>();
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
    clear: () => planned.clear(),
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
