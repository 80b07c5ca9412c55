import { createSecretScrubber } from "../domain/render/secret-scrubber.js";
import type { Vcs } from "./ports/vcs.js";

/**
 * Every text tfgate sends to GitHub (comments, statuses) passes through here, so no code path can
 * post a secret from the server's environment, whatever it formats: error messages and tofu
 * diagnostics included.
 */
export function scrubbingVcs(vcs: Vcs, secrets: readonly string[]): Vcs {
  const scrub = createSecretScrubber(secrets);
  return {
    ...vcs,
    createComment: (repo, issue, body) => vcs.createComment(repo, issue, scrub(body)),
    updateComment: (repo, id, body) => vcs.updateComment(repo, id, scrub(body)),
    setStatus: (repo, sha, status) => vcs.setStatus(repo, sha, { ...status, description: scrub(status.description) }),
  };
}
