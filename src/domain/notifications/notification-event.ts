/**
 * What tfgate tells an outgoing webhook about (part 4 of issue #17). The names are the wire names
 * (`X-Tfgate-Event`, the body's `event`): renaming one breaks every receiver, so add, never rename.
 */
export const NOTIFICATION_EVENT_NAMES = ["apply.succeeded", "apply.failed", "pr.merged-unapplied", "drift.found", "drift.resolved"] as const;

export type NotificationEventName = (typeof NOTIFICATION_EVENT_NAMES)[number];

/** Resource counts of a plan (as the summary shows them). */
export interface ChangeCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
}

export interface PullRequestRef {
  readonly number: number;
  readonly url: string;
}

/** What both apply events carry. */
export interface ApplyFacts {
  /** `owner/name`. */
  readonly repo: string;
  readonly pr: PullRequestRef;
  readonly project: string;
  readonly headSha: string;
  /** The login that commented `/apply`. */
  readonly appliedBy: string;
  /** Logins whose approval let the apply run (empty when the gate needed none). */
  readonly approvedBy: readonly string[];
  /** What the applied plan said it would do. */
  readonly counts: ChangeCounts;
  readonly durationMs: number;
  /** The job's full log in the web UI, when tfgate has a public URL. */
  readonly logUrl: string | null;
}

/** Why an apply did not succeed: tofu failed or ran out of time, the plan went stale, or tfgate refused to start it. */
export type ApplyFailureReason = "failed" | "timeout" | "cancelled" | "stale" | "refused";

export interface DriftFacts {
  readonly repo: string;
  readonly project: string;
  /** For `drift.found`, what a plan of the default branch would change; zeros once resolved. */
  readonly counts: ChangeCounts;
  /** Where the drift check's result is shown (its run log or check run), if anywhere. */
  readonly url: string | null;
}

export type NotificationEvent =
  | { readonly event: "apply.succeeded"; readonly data: ApplyFacts }
  | { readonly event: "apply.failed"; readonly data: ApplyFacts & { readonly reason: ApplyFailureReason; readonly message: string } }
  | { readonly event: "pr.merged-unapplied"; readonly data: { readonly repo: string; readonly pr: PullRequestRef; readonly projects: readonly string[]; readonly mergedBy: string | null } }
  | { readonly event: "drift.found"; readonly data: DriftFacts }
  | { readonly event: "drift.resolved"; readonly data: DriftFacts };

export function isNotificationEventName(name: string): name is NotificationEventName {
  return (NOTIFICATION_EVENT_NAMES as readonly string[]).includes(name);
}
