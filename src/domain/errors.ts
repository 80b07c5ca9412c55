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
  | "invalid-config"
  | "unknown-project"
  | "unknown-ref"
  | "not-a-git-repo"
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

export function isTfgateError(err: unknown, code?: TfgateErrorCode): err is TfgateError {
  return err instanceof TfgateError && (code === undefined || err.code === code);
}
