import type { PolicySource, RegoOutcome } from "../../domain/policy/rego-findings.js";

export interface RegoRequest {
  /** The trusted ref's `.rego` files and data documents, repository-relative (under policies/). */
  readonly sources: readonly PolicySource[];
  /** `tofu show -json` of the plan: conftest's input, as Atlantis's policy_check gives it. */
  readonly planJson: unknown;
  readonly signal?: AbortSignal;
}

/** Evaluates Rego policies with conftest's conventions. Never throws: an engine failure is an `error` outcome. */
export interface RegoEngine {
  evaluate(request: RegoRequest): Promise<RegoOutcome>;
}
