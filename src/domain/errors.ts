/**
 * Typed errors. Callers branch on `code`, never on `message`; `cause` keeps the original error.
 * User-facing denials are results (discriminated unions), not exceptions: these are for input that
 * cannot be processed at all.
 */
export type TfgateErrorCode =
  | "invalid-hcl"
  | "module-escapes-repo"
  | "module-cycle"
  | "symlinked-project"
  | "symlinked-config"
  | "symlink-escapes-repo"
  | "invalid-config"
  | "unknown-project"
  | "unknown-ref"
  | "not-a-git-repo"
  | "incomplete-repo"
  | "terraform-failed"
  | "timeout"
  | "cancelled"
  | "invalid-input";

export class TfgateError extends Error {
  readonly code: TfgateErrorCode;

  constructor(code: TfgateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TfgateError";
    this.code = code;
  }
}

/**
 * By name and code, not only instanceof: the bundled CLI and the tsc-built server modules it
 * imports each have their own copy of the class.
 */
export function isTfgateError(err: unknown, code?: TfgateErrorCode): err is TfgateError {
  const typed = err instanceof TfgateError || (err instanceof Error && err.name === "TfgateError" && typeof (err as { code?: unknown }).code === "string");
  return typed && (code === undefined || (err as TfgateError).code === code);
}
