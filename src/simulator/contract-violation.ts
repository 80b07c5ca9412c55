/**
 * What the OpenAPI contract check found wrong with one exchange. Tests assert the list is empty;
 * each entry says enough to find the offending call without a debugger.
 */
export interface SchemaError {
  /** JSON pointer into the checked value ("" is the value itself). */
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly message: string;
}

export type RequestLocation = "path" | "query" | "body";

export type ContractViolation =
  | { readonly kind: "unknown-route"; readonly method: string; readonly path: string; readonly message: string }
  | {
      /** GitHub has the operation but the fake does not implement it (add it, or don't call it). */
      readonly kind: "unimplemented-operation";
      readonly method: string;
      readonly path: string;
      readonly operationId: string;
      readonly message: string;
    }
  | {
      readonly kind: "invalid-request";
      readonly direction: "request";
      readonly operationId: string;
      readonly method: string;
      readonly path: string;
      readonly location: RequestLocation;
      readonly errors: readonly SchemaError[];
      readonly message: string;
    }
  | {
      readonly kind: "invalid-response";
      readonly direction: "response";
      readonly operationId: string;
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly errors: readonly SchemaError[];
      readonly message: string;
    }
  | {
      /** A success status the description does not list for the operation. */
      readonly kind: "undocumented-status";
      readonly direction: "response";
      readonly operationId: string;
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly message: string;
    }
  | {
      /** The fake itself failed (a bug in the simulator, answered 500): fix the fake. */
      readonly kind: "fake-error";
      readonly method: string;
      readonly path: string;
      readonly message: string;
    };
