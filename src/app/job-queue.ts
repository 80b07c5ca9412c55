import PQueue from "p-queue";

export type JobResult<T> =
  | { readonly status: "done"; readonly value: T }
  | { readonly status: "cancelled"; readonly reason: string }
  | { readonly status: "failed"; readonly error: unknown };

export interface JobSpec<T> {
  readonly id: string;
  /** At most one job per exclusive key runs at a time (one per repository + project). */
  readonly exclusiveKey: string;
  /** A newer job with the same key cancels this one, queued or running (e.g. PR + project). */
  readonly supersedeKey?: string;
  /** Free-form tags, used to cancel groups of jobs (e.g. every job of a closed PR). */
  readonly tags?: Readonly<Record<string, string>>;
  run(signal: AbortSignal): Promise<T>;
}

export interface JobInfo {
  readonly id: string;
  readonly exclusiveKey: string;
  readonly supersedeKey: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly state: "waiting" | "running";
}

export interface JobQueue {
  submit<T>(spec: JobSpec<T>): Promise<JobResult<T>>;
  /** Cancels matching jobs; returns how many were signalled. */
  cancel(match: (job: JobInfo) => boolean, reason: string): number;
  /** Resolves when no job is waiting or running. */
  onIdle(): Promise<void>;
  stats(): { waiting: number; running: number };
}

interface Entry {
  info: JobInfo;
  controller: AbortController;
}

export function createJobQueue(options: { concurrency: number }): JobQueue {
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const entries = new Map<string, Entry>();
  const bySupersede = new Map<string, string>();
  const tails = new Map<string, Promise<unknown>>();
  const pending = new Set<Promise<unknown>>();

  function abort(entry: Entry, reason: string): void {
    if (!entry.controller.signal.aborted) entry.controller.abort(new Error(reason));
  }

  async function execute<T>(spec: JobSpec<T>, entry: Entry, previous: Promise<unknown>): Promise<JobResult<T>> {
    const signal = entry.controller.signal;
    const cancelled = (): JobResult<T> => ({ status: "cancelled", reason: (signal.reason as Error | undefined)?.message ?? "cancelled" });
    // Wait for the previous job on the same project, even if it is being cancelled: it must
    // release the state lock before the next tofu process starts.
    await previous;
    if (signal.aborted) return cancelled();
    try {
      const value = await queue.add(
        async () => {
          if (signal.aborted) throw signal.reason;
          entry.info = { ...entry.info, state: "running" };
          return spec.run(signal);
        },
        { signal },
      );
      return signal.aborted ? cancelled() : { status: "done", value: value as T };
    } catch (error) {
      return signal.aborted ? cancelled() : { status: "failed", error };
    }
  }

  return {
    submit<T>(spec: JobSpec<T>) {
      if (spec.supersedeKey !== undefined) {
        const olderId = bySupersede.get(spec.supersedeKey);
        const older = olderId === undefined ? undefined : entries.get(olderId);
        if (older) abort(older, `superseded by job ${spec.id}`);
        bySupersede.set(spec.supersedeKey, spec.id);
      }
      const entry: Entry = {
        info: { id: spec.id, exclusiveKey: spec.exclusiveKey, supersedeKey: spec.supersedeKey, tags: spec.tags ?? {}, state: "waiting" },
        controller: new AbortController(),
      };
      entries.set(spec.id, entry);
      const previous = tails.get(spec.exclusiveKey) ?? Promise.resolve();
      const result = execute(spec, entry, previous).finally(() => {
        entries.delete(spec.id);
        if (spec.supersedeKey !== undefined && bySupersede.get(spec.supersedeKey) === spec.id) bySupersede.delete(spec.supersedeKey);
        if (tails.get(spec.exclusiveKey) === result) tails.delete(spec.exclusiveKey);
        pending.delete(result);
      });
      tails.set(spec.exclusiveKey, result);
      pending.add(result);
      return result;
    },

    cancel(match, reason) {
      let n = 0;
      for (const entry of entries.values()) {
        if (!entry.controller.signal.aborted && match(entry.info)) {
          abort(entry, reason);
          n++;
        }
      }
      return n;
    },

    async onIdle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },

    stats() {
      let running = 0;
      for (const e of entries.values()) if (e.info.state === "running") running++;
      return { waiting: entries.size - running, running };
    },
  };
}
