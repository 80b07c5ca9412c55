import type { DriftOutcome } from "../domain/drift/drift-outcome.js";
import type { SecretScrubber } from "../domain/render/secret-scrubber.js";
import type { DriftResults } from "./ports/drift-results.js";

/**
 * Drift results whose texts (the plan, the error with tofu's diagnostics) are scrubbed of
 * tfgate's secrets before they are stored: the store, the web UI's drift page and the drift
 * issue then never hold one, whoever reads them later.
 */
export function scrubbingDriftResults(drift: DriftResults, scrub: SecretScrubber): DriftResults {
  const clean = (outcome: DriftOutcome): DriftOutcome => {
    switch (outcome.state) {
      case "in-sync":
        return outcome;
      case "error":
        return { ...outcome, message: scrub(outcome.message) };
      case "drifted":
        return { ...outcome, diff: outcome.diff === null ? null : scrub(outcome.diff) };
    }
  };
  return { ...drift, finish: (id, outcome, lockedBy) => drift.finish(id, clean(outcome), lockedBy) };
}
