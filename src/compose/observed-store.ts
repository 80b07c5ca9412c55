import type { JobRecord } from "../app/ports/jobs.js";
import type { Store } from "../app/ports/store.js";

const FINISHED = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

/**
 * The store, reporting every job that reaches a final state (plans and applies alike, whatever
 * path finished them). Metrics observe the record of truth instead of each use case counting.
 */
export function observedStore<S extends Store>(store: S, onFinished: (job: JobRecord) => void): S {
  const jobs = store.jobs;
  return {
    ...store,
    jobs: {
      ...jobs,
      markInterrupted: async () => {
        const interrupted = await jobs.markInterrupted();
        for (const i of interrupted) onFinished(i.job);
        return interrupted;
      },
      transition: async (id, to, detail) => {
        const job = await jobs.transition(id, to, detail);
        if (FINISHED.has(job.state)) onFinished(job);
        return job;
      },
    },
  };
}
