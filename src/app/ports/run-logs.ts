/**
 * The output of each job (plan or apply), kept for the web UI: appended line by line while tofu
 * runs, followed live by whoever watches (server-sent events), and read whole afterwards.
 * Lines are scrubbed of the server's secrets before they are kept.
 */
export interface RunLogs {
  append(jobId: string, line: string): void;
  /** The job ended: followers get their end, and the log is closed for writing. */
  finish(jobId: string): void;
  /** The whole log so far, or null when the job wrote none. */
  read(jobId: string): Promise<string | null>;
  /**
   * Calls `onLine` for every line already written, then for each new one, and `onEnd` when the
   * job finishes (at once when it already has, or when `running` is false: the caller read the
   * job's state from the store). Returns a function that stops following.
   */
  follow(jobId: string, onLine: (line: string) => void, onEnd: () => void, running: boolean): Promise<() => void>;
}
