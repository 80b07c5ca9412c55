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
  /**
   * Among jobs waiting for a slot, higher runs first (default 0). Background work (drift checks)
   * uses a negative one, so a pull request's plan never waits behind a whole schedule's worth.
   */
  readonly priority?: number;
  /**
   * At most `max` jobs of this share run at once (the first job of a key fixes its `max`): drift
   * checks take part of the slots, so a pull request's plan finds one free even while a schedule
   * runs. Priority alone would not do it: a running plan is not preempted.
   */
  readonly share?: JobShare;
  run(signal: AbortSignal): Promise<T>;
}

export interface JobShare {
  readonly key: string;
  readonly max: number;
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
  const shares = new Map<string, PQueue>();
  const shareOf = (share: JobShare): PQueue => {
    let q = shares.get(share.key);
    if (!q) shares.set(share.key, (q = new PQueue({ concurrency: Math.max(1, share.max) })));
    return q;
  };

  function abort(entry: Entry, reason: string): void {
    if (!entry.controller.signal.aborted) entry.controller.abort(new Error(reason));
  }

  type Ran<T> = { ran: false } | { ran: true; ok: true; value: T } | { ran: true; ok: false; error: unknown };

  /**
   * The execution itself. It settles only when `run` has really returned, even after an abort
   * (tofu needs time to stop and release its state lock), so the next job on the same project
   * and onIdle() wait for it. p-queue's own abort support is not used for that reason: it
   * rejects at once while the task keeps running.
   */
  async function execute<T>(spec: JobSpec<T>, entry: Entry, previous: Promise<unknown>): Promise<Ran<T>> {
    const signal = entry.controller.signal;
    await previous;
    if (signal.aborted) return { ran: false };
    return queue.add(async (): Promise<Ran<T>> => {
      if (signal.aborted) return { ran: false };
      entry.info = { ...entry.info, state: "running" };
      try {
        return { ran: true, ok: true, value: await spec.run(signal) };
      } catch (error) {
        return { ran: true, ok: false, error };
      }
    }, { priority: spec.priority ?? 0 }) as Promise<Ran<T>>;
  }

  /** What the submitter sees: "cancelled" as soon as the job is aborted, else its outcome. */
  function outcome<T>(entry: Entry, task: Promise<Ran<T>>): Promise<JobResult<T>> {
    const signal = entry.controller.signal;
    const cancelled = (): JobResult<T> => ({ status: "cancelled", reason: (signal.reason as Error | undefined)?.message ?? "cancelled" });
    const onAbort = new Promise<JobResult<T>>((resolve) => {
      if (signal.aborted) resolve(cancelled());
      else signal.addEventListener("abort", () => resolve(cancelled()), { once: true });
    });
    const done = task.then((r): JobResult<T> => {
      if (signal.aborted || !r.ran) return cancelled();
      return r.ok ? { status: "done", value: r.value } : { status: "failed", error: r.error };
    });
    return Promise.race([done, onAbort]);
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
      const queued = (): Promise<Ran<T>> => {
        const previous = tails.get(spec.exclusiveKey) ?? Promise.resolve();
        const inLine: Promise<Ran<T>> = execute(spec, entry, previous).finally(() => {
          if (tails.get(spec.exclusiveKey) === inLine) tails.delete(spec.exclusiveKey);
        });
        tails.set(spec.exclusiveKey, inLine);
        return inLine;
      };
      // A share's job takes its share slot before it gets in line for its project: waiting for the
      // share, it must not hold up a pull request's job of that project (which would then wait
      // for the whole share's backlog). The share slot is held until the job is done.
      const task: Promise<Ran<T>> = (spec.share ? (shareOf(spec.share).add(queued, { priority: spec.priority ?? 0 }) as Promise<Ran<T>>) : queued()).finally(() => {
        entries.delete(spec.id);
        if (spec.supersedeKey !== undefined && bySupersede.get(spec.supersedeKey) === spec.id) bySupersede.delete(spec.supersedeKey);
        pending.delete(task);
      });
      pending.add(task);
      const result = outcome(entry, task);
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
