import { createSecretScrubber } from "../domain/render/secret-scrubber.js";
import type { GitHub } from "./github-port.js";

/**
 * Every text tfgate sends to GitHub (comments, statuses) passes through here, so no code path can
 * post a secret from the server's environment, whatever it formats: error messages and tofu
 * diagnostics included.
 */
export function scrubbingGitHub(github: GitHub, secrets: readonly string[]): GitHub {
  const scrub = createSecretScrubber(secrets);
  return {
    ...github,
    createComment: (repo, issue, body) => github.createComment(repo, issue, scrub(body)),
    updateComment: (repo, id, body) => github.updateComment(repo, id, scrub(body)),
    setStatus: (repo, sha, status) => github.setStatus(repo, sha, { ...status, description: scrub(status.description) }),
  };
}
