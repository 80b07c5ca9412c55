import type { NotificationEvent } from "../domain/notifications/notification-event.js";
import type { DriftCheckEvent } from "./check-drift.js";

const NONE = { add: 0, change: 0, destroy: 0, replace: 0 } as const;

/**
 * `drift.found` when a project starts to differ from its default branch, `drift.resolved` when it
 * matches again; nothing for a check that repeats what the last comparable one said, or that
 * failed (an error is not news about the infrastructure, and the next check will tell). A
 * project's first check that finds drift is news: nobody has been told yet.
 */
export function driftNotification(event: DriftCheckEvent, url: string | null): NotificationEvent | null {
  const { record, lastKnown } = event;
  const was = lastKnown?.state ?? null;
  if (record.state === "drifted" && was !== "drifted") {
    return { event: "drift.found", data: { repo: record.repo, project: record.project, counts: record.counts ?? NONE, url } };
  }
  if (record.state === "in-sync" && was === "drifted") {
    return { event: "drift.resolved", data: { repo: record.repo, project: record.project, counts: NONE, url } };
  }
  return null;
}
