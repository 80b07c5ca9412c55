/**
 * Ports for durable state: what the server remembers across restarts. `Store` groups small
 * role-named parts (deliveries, jobs, plans, audit, PR states, check runs); `Locks` is its own port because lock policy
 * (who may plan or apply a project) is decided by use cases that need nothing else from the store.
 *
 * Methods are async so another backend could implement them; the SQLite adapter is synchronous
 * inside and atomic per call. Times are milliseconds since the epoch.
 */

import type { AuditLog } from "./audit.js";
import type { CheckRuns } from "./check-runs.js";
import type { DeliveryLog } from "./deliveries.js";
import type { JobStore } from "./jobs.js";
import type { PlanStore } from "./plans.js";
import type { PrStates } from "./pr-states.js";

export interface Store {
  readonly deliveries: DeliveryLog;
  readonly jobs: JobStore;
  readonly plans: PlanStore;
  readonly audit: AuditLog;
  readonly prs: PrStates;
  readonly checks: CheckRuns;
}
