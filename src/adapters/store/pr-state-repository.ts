import type { PrSnapshot, PrStates, StoredPrState } from "../../app/ports/pr-states.js";
import { StoreError } from "../../app/ports/store-error.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkGitSha, checkInteger, checkObject, checkPr, checkRepo, toJson } from "./validate.js";

interface PrStateRow {
  repo: string;
  pr: number;
  snapshot_json: string;
  version: number;
  published_version: number;
  updated_at: number;
}

function stateFromRow(row: PrStateRow): StoredPrState {
  // Written by save() from a typed snapshot: the JSON has the shape it was given.
  return { snapshot: JSON.parse(row.snapshot_json) as PrSnapshot, version: row.version, publishedVersion: row.published_version, updatedAt: row.updated_at };
}

/** One row per pull request: its latest summary state, with what the code host has seen of it. */
export function createPrStateRepository(ctx: StoreContext): PrStates {
  const { db } = ctx;
  const upsert = db.prepare<[string, number, string, string, number], { version: number }>(
    `INSERT INTO pr_states (repo, pr, snapshot_json, pr_state, version, published_version, updated_at)
     VALUES (?, ?, ?, ?, 1, 0, ?)
     ON CONFLICT (repo, pr) DO UPDATE SET snapshot_json = excluded.snapshot_json, pr_state = excluded.pr_state,
       version = pr_states.version + 1, updated_at = excluded.updated_at
     RETURNING version`,
  );
  const get = db.prepare<[string, number], PrStateRow>("SELECT * FROM pr_states WHERE repo = ? AND pr = ?");
  const published = db.prepare<[number, number, string, number]>(
    "UPDATE pr_states SET published_version = max(published_version, min(?, version)), updated_at = ? WHERE repo = ? AND pr = ?",
  );
  const unsettled = db.prepare<[], PrStateRow>("SELECT * FROM pr_states WHERE version > published_version OR pr_state = 'open' ORDER BY updated_at");

  return {
    load: (repo, pr) =>
      guard("reading a PR's state", () => {
        const row = get.get(checkRepo(repo), checkPr(pr));
        return row === undefined ? null : stateFromRow(row);
      }),

    save: (snapshot) =>
      guard("saving a PR's state", () => {
        const s = checkObject(snapshot, "snapshot") as Partial<PrSnapshot>;
        const repo = checkRepo(s.repo);
        const pr = checkPr(s.pr);
        checkGitSha(s.headSha);
        if (s.prState !== "open" && s.prState !== "closed" && s.prState !== "merged") throw new StoreError("invalid-input", "prState must be open, closed or merged");
        const json = toJson(snapshot, "snapshot");
        return immediate(ctx, () => {
          const row = upsert.get(repo, pr, json, s.prState as string, ctx.now());
          if (row === undefined) throw new StoreError("store-failed", "saving a PR's state returned no row");
          return row.version;
        });
      }),

    markPublished: (repo, pr, version) =>
      guard("recording a published PR state", () => {
        published.run(checkInteger(version, "version", 1, Number.MAX_SAFE_INTEGER), ctx.now(), checkRepo(repo), checkPr(pr));
      }),

    unsettled: () => guard("listing unsettled PR states", () => unsettled.all().map(stateFromRow)),
  };
}
