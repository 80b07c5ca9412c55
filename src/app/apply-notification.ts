import type { ChangeCounts, NotificationEvent } from "../domain/notifications/notification-event.js";
import type { ApplyOutcome } from "./ports/terraform.js";

/** The facts of one finished apply, as `applyOne` has them. */
export interface FinishedApply {
  readonly repo: string;
  readonly pr: number;
  readonly webBaseUrl: string;
  readonly project: string;
  readonly headSha: string;
  readonly actor: string;
  /** The gate's record of who approved (several: ", "-joined); null when none was needed. */
  readonly approvedBy: string | null;
  readonly counts: ChangeCounts;
  readonly logUrl: string | undefined;
  readonly outcome: ApplyOutcome;
}

/** `apply.succeeded` or `apply.failed` for the notifier port. */
export function applyNotification(a: FinishedApply): NotificationEvent {
  const data = {
    repo: a.repo,
    pr: { number: a.pr, url: `${a.webBaseUrl}/${a.repo}/pull/${a.pr}` },
    project: a.project,
    headSha: a.headSha,
    appliedBy: a.actor,
    approvedBy: (a.approvedBy ?? "").split(",").map((l) => l.trim()).filter(Boolean),
    counts: a.counts,
    durationMs: a.outcome.durationMs,
    logUrl: a.logUrl ?? null,
  };
  const o = a.outcome;
  switch (o.status) {
    case "applied":
      return { event: "apply.succeeded", data };
    case "error":
      return { event: "apply.failed", data: { ...data, reason: o.reason, message: o.message } };
    case "refused":
      return { event: "apply.failed", data: { ...data, reason: "refused", message: o.message } };
    case "stale":
      return { event: "apply.failed", data: { ...data, reason: "stale", message: "the saved plan is stale (the state changed since it was made)" } };
  }
}
