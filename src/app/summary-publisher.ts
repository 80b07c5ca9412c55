import { renderSummary } from "../domain/render/render-summary.js";
import { readSummaryMarker, summaryMarker } from "../domain/render/summary-marker.js";
import type { SummaryInput } from "../domain/render/summary-input.js";
import type { Vcs, RepoRef } from "./ports/vcs.js";

export interface SummaryPublisher {
  /**
   * Renders and posts the summary: existing parts are edited in place, missing ones created.
   * `onWritten` runs once GitHub holds exactly this input's summary (not when a newer input
   * replaced it first), before anyone waiting on this PR's summary hears back. Resolves true once
   * the code host holds this input or a newer one, false when that write failed.
   */
  publish(repo: RepoRef, pr: number, input: SummaryInput, onWritten?: () => Promise<void>): Promise<boolean>;
}

/**
 * One summary per pull request, found again through its hidden marker. Publishing is serialised
 * per PR and coalesced: while one update is on its way, later ones collapse into the newest, so
 * eight plans finishing together cost two edits, not eight, and never arrive out of order.
 */
export function createSummaryPublisher(deps: {
  vcs: Vcs;
  secrets: readonly string[];
  /** Plans run without the sandbox: every summary carries a warning. */
  unsandboxed?: boolean;
  onError?: (err: unknown) => void;
}): SummaryPublisher {
  const known = new Map<string, number[]>();
  const running = new Map<string, Promise<void>>();
  /**
   * The newest input waiting per PR, with its caller and the callers of the inputs it replaced:
   * they all hear back once it is written, so "summary first, statuses after" holds for each.
   */
  const next = new Map<string, { repo: RepoRef; pr: number; input: SummaryInput; onWritten?: () => Promise<void>; waiting: ((written: boolean) => void)[] }>();

  async function commentIds(repo: RepoRef, pr: number, key: string): Promise<number[]> {
    const cached = known.get(key);
    if (cached) return cached;
    const parts: { id: number; part: number }[] = [];
    for (const c of await deps.vcs.comments(repo, pr)) {
      // Only our own comments: anyone can paste a marker into theirs.
      const marker = c.byApp ? readSummaryMarker(c.body) : null;
      if (marker) parts.push({ id: c.id, part: marker.part });
    }
    const ids = parts.sort((a, b) => a.part - b.part).map((p) => p.id);
    known.set(key, ids);
    return ids;
  }

  async function write(repo: RepoRef, pr: number, input: SummaryInput, key: string): Promise<void> {
    const bodies = renderSummary(deps.unsandboxed ? { ...input, unsandboxed: true } : input, { secrets: deps.secrets });
    const ids = await commentIds(repo, pr, key);
    for (let i = 0; i < bodies.length; i++) {
      const id = ids[i];
      if (id === undefined) ids.push(await deps.vcs.createComment(repo, pr, bodies[i] as string));
      else await deps.vcs.updateComment(repo, id, bodies[i] as string);
    }
    // A summary that shrank leaves parts behind: keep them (their ids stay ours) but empty them.
    for (let i = bodies.length; i < ids.length; i++) {
      await deps.vcs.updateComment(repo, ids[i] as number, `${summaryMarker(i + 1, ids.length)}\n_(This part of the tfgate summary is no longer needed.)_`);
    }
  }

  return {
    publish(repo, pr, input, onWritten) {
      const key = `${repo.owner}/${repo.name}#${pr}`;
      const result = new Promise<boolean>((done) => {
        next.set(key, { repo, pr, input, onWritten, waiting: [...(next.get(key)?.waiting ?? []), done] });
      });
      if (running.has(key)) return result;
      const loop = (async () => {
        try {
          for (let job = next.get(key); job; job = next.get(key)) {
            next.delete(key);
            let written = false;
            try {
              await write(job.repo, job.pr, job.input, key);
              written = true;
              await job.onWritten?.().catch((err: unknown) => deps.onError?.(err));
            } catch (err) {
              known.delete(key);
              deps.onError?.(err);
            } finally {
              for (const done of job.waiting) done(written);
            }
          }
        } finally {
          running.delete(key);
        }
      })();
      running.set(key, loop);
      return result;
    },
  };
}
