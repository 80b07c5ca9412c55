export type FakeGitHubErrorCode = "not-found" | "conflict" | "invalid-argument";

/** Thrown by the state helpers when a test (or the demo) sets up something GitHub would not allow. */
export class FakeGitHubError extends Error {
  readonly code: FakeGitHubErrorCode;

  constructor(code: FakeGitHubErrorCode, message: string) {
    super(message);
    this.name = "FakeGitHubError";
    this.code = code;
  }
}
