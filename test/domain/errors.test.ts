import { describe, expect, it } from "vitest";
import { isTfgateError, TfgateError } from "../../src/domain/errors.js";

describe("isTfgateError", () => {
  it("knows a TfgateError by its class, and by name and code from another copy of the module", () => {
    expect(isTfgateError(new TfgateError("unknown-ref", "x"))).toBe(true);
    expect(isTfgateError(new TfgateError("unknown-ref", "x"), "unknown-ref")).toBe(true);
    expect(isTfgateError(new TfgateError("unknown-ref", "x"), "timeout")).toBe(false);
    // What the bundled CLI sees from an error thrown by the tsc-built server modules it imports.
    const copy = Object.assign(new Error("y"), { name: "TfgateError", code: "invalid-config" });
    expect(isTfgateError(copy, "invalid-config")).toBe(true);
    expect(isTfgateError(Object.assign(new Error("z"), { code: "invalid-config" }))).toBe(false);
    expect(isTfgateError("TfgateError")).toBe(false);
  });
});
