/** The simulated GitHub: the tests' fake and the demo's GitHub, held to GitHub's OpenAPI contract. */
export { createFakeGitHub, defaultOpenApiPath, FAKE_GITHUB_OPERATIONS } from "./fake-github.js";
export type { FakeGitHub, FakeGitHubOptions, RequestRecord } from "./fake-github.js";
export type { FakeGitHubState, AddManifestCodeOptions, AddRepoOptions, AddPullRequestOptions, AddReviewOptions, AddCommentOptions, AddStatusOptions, AddCheckRunOptions, CheckRunPatch, AddIssueOptions, IssuePatch } from "./fake-github-state.js";
export { fakeSha } from "./fake-github-state.js";
export type * from "./fake-github-model.js";
export { FakeGitHubError } from "./fake-github-error.js";
export type { FakeGitHubErrorCode } from "./fake-github-error.js";
export type { ContractViolation, SchemaError } from "./contract-violation.js";
export { loadOpenApiContract, OpenApiContractError } from "./openapi-contract.js";
export type { OpenApiContract, OpenApiContractOptions } from "./openapi-contract.js";
export type { Fault, FaultInjector } from "./fault-injection.js";
export { signedWebhook, deliverWebhook } from "./signed-webhook.js";
export type { SignedWebhook } from "./signed-webhook.js";
export { examplePayload } from "./example-payload.js";
export type { PayloadAdaptation, PayloadAccount, PayloadPullRequest, PayloadRepository, WebhookEvent, WebhookPayload } from "./example-payload.js";
export { pullRequestAdaptation, commentAdaptation, checkRunAdaptation, checkSuiteAdaptation } from "./payload-from-state.js";
export { COMMENT_BODY_LIMIT } from "./handlers/comment-handlers.js";
