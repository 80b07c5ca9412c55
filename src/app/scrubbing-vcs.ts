import { createSecretScrubber } from "../domain/render/secret-scrubber.js";
import type { CheckReport, Vcs } from "./ports/vcs.js";

/**
 * Every text tfgate sends to GitHub (comments, statuses, checks, issues) passes through here, so no code path can
 * post a secret from the server's environment, whatever it formats: error messages and tofu
 * diagnostics included.
 */
export function scrubbingVcs(vcs: Vcs, secrets: readonly string[]): Vcs {
  const scrub = createSecretScrubber(secrets);
  const scrubCheck = (r: CheckReport): CheckReport => ({
    ...r,
    title: scrub(r.title),
    summary: scrub(r.summary),
    annotations: r.annotations.map((a) => ({ ...a, title: scrub(a.title), message: scrub(a.message) })),
  });
  return {
    ...vcs,
    createComment: (repo, issue, body) => vcs.createComment(repo, issue, scrub(body)),
    updateComment: (repo, id, body) => vcs.updateComment(repo, id, scrub(body)),
    setStatus: (repo, sha, status) => vcs.setStatus(repo, sha, { ...status, description: scrub(status.description) }),
    createCheck: (repo, sha, report) => vcs.createCheck(repo, sha, scrubCheck(report)),
    updateCheck: (repo, id, report) => vcs.updateCheck(repo, id, scrubCheck(report)),
    // A drift issue carries a plan's diff and error text: scrubbed like a comment.
    createIssue: (repo, issue) => vcs.createIssue(repo, { ...issue, title: scrub(issue.title), body: scrub(issue.body) }),
    updateIssue: (repo, number, patch) =>
      vcs.updateIssue(repo, number, {
        ...patch,
        ...(patch.title !== undefined ? { title: scrub(patch.title) } : {}),
        ...(patch.body !== undefined ? { body: scrub(patch.body) } : {}),
      }),
  };
}
