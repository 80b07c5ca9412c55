/** What a command may touch of the process: streams and an exit code, passed in for tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, planFailed: 1, invalidInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** `import()` as lent by the entry point (see cli-entry.ts). */
export type ImportModule = (specifier: string) => Promise<unknown>;
