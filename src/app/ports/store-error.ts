/** The store's typed error: every store adapter throws these, so use cases can tell the cases apart. */

export type StoreErrorCode =
  /** An argument is malformed (bad repo name, SHA, id, JSON, limit...). Nothing was written. */
  | "invalid-input"
  /** The record named by an id does not exist. */
  | "not-found"
  /** A record with this id already exists. */
  | "conflict"
  /** A job state change the lifecycle forbids (e.g. a finished job cannot restart). */
  | "invalid-transition"
  /** The database was written by a newer tfgate; opening it could corrupt it. */
  | "schema-too-new"
  /** The database file cannot be opened or is not a tfgate database. */
  | "open-failed"
  /** Another process held the database longer than the busy timeout. */
  | "busy"
  /** Any other database failure; `cause` holds the driver's error. */
  | "store-failed";

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
