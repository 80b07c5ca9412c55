/**
 * What makes a webhook event itself unique, whatever delivery carried it. GitHub's redelivery
 * keeps the `X-GitHub-Delivery` id, but anyone who captured a signed delivery can POST the same
 * body under a new id: the signature still matches, so only the payload's own identity tells a
 * replay from a new event. Replays are byte-identical, so every field used here is the same in
 * the original and the replay; fields are added only to keep distinct real events apart.
 */
export interface DeliveryIdentity {
  /** Printable ASCII, at most 500 characters (IDENTITY_KEY). */
  readonly key: string;
  /**
   * When the event happened (ms since the epoch), for events whose payload says so reliably;
   * otherwise null. A store that forgets old deliveries cannot tell a replay older than its memory
   * from a new event, so it treats an event older than that as seen.
   */
  readonly at: number | null;
}

/** What a key looks like; the store refuses anything else. */
export const IDENTITY_KEY = /^[\x21-\x7e]{1,500}$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const id = (v: unknown): number | null => (typeof v === "number" && Number.isSafeInteger(v) ? v : null);
const ACTION = /^[a-z][a-z0-9_]{0,63}$/;
const SHA = /^[0-9a-f]{40,64}$/;

/** Milliseconds of an ISO timestamp, or null. */
function time(v: unknown): number | null {
  if (typeof v !== "string") return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The identity of `issue_comment` (comment id + action + the comment's update time, so a second
 * edit is not taken for the first), `pull_request_review` (review id + action) and `pull_request`
 * (repository + number + action + head SHA + the PR's update time, so a legitimate second
 * `closed` after a reopen is not dropped) events; null for other events, which are de-duplicated
 * by delivery id only. Comment and review ids are unique across a GitHub instance; PR numbers are
 * not, hence the repository. Also null for a payload missing what handling it needs: such a
 * payload is ignored anyway.
 */
export function deliveryIdentity(event: string, payload: unknown): DeliveryIdentity | null {
  if (!isObject(payload) || typeof payload.action !== "string" || !ACTION.test(payload.action)) return null;
  const action = payload.action;
  let key: string;
  let at: number | null = null;
  switch (event) {
    case "issue_comment": {
      const comment = payload.comment;
      if (!isObject(comment) || id(comment.id) === null) return null;
      key = `issue_comment/${comment.id}/${action}/${time(comment.updated_at) ?? "-"}`;
      // Only the creation time is certainly the event's time (an edit or deletion can come long
      // after it), and only `created` comments run commands.
      if (action === "created") at = time(comment.created_at);
      break;
    }
    case "pull_request_review": {
      const review = payload.review;
      if (!isObject(review) || id(review.id) === null) return null;
      key = `pull_request_review/${review.id}/${action}`;
      break;
    }
    case "pull_request": {
      const pr = payload.pull_request;
      const repository = payload.repository;
      if (!isObject(pr) || !isObject(repository) || id(pr.number) === null) return null;
      const head = pr.head;
      if (!isObject(head) || typeof head.sha !== "string" || !SHA.test(head.sha)) return null;
      const repo = id(repository.id) ?? (typeof repository.full_name === "string" ? `name:${encodeURIComponent(repository.full_name)}` : null);
      if (repo === null) return null;
      key = `pull_request/${repo}/${pr.number}/${action}/${head.sha}/${time(pr.updated_at) ?? "-"}`;
      break;
    }
    default:
      return null;
  }
  // Only a repository name could make it longer; GitHub's are far shorter.
  return IDENTITY_KEY.test(key) ? { key, at } : null;
}
