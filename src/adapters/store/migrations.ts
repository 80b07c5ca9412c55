import type BetterSqlite3 from "better-sqlite3";
import { StoreError } from "../../app/ports/store-error.js";

/**
 * Schema versions, oldest first: version N is `MIGRATIONS[N - 1]`. Append only — never edit a
 * migration that has shipped, since databases in the field already ran it.
 *
 * Tables are STRICT so a wrong type fails loudly instead of being stored as text. Partial unique
 * indexes carry the invariants the product promises, so even a bug in the code above cannot break
 * them: one current plan per PR+project, and one queued-or-running apply per repo+project.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deliveries (
    id          TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX deliveries_received_at ON deliveries (received_at);

  CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    repo         TEXT NOT NULL,
    pr           INTEGER NOT NULL CHECK (pr > 0),
    project      TEXT NOT NULL,
    head_sha     TEXT NOT NULL,
    plan_file    TEXT,
    sha256       TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    summary_json TEXT NOT NULL CHECK (json_valid(summary_json)),
    policy_json  TEXT CHECK (policy_json IS NULL OR json_valid(policy_json)),
    state        TEXT NOT NULL CHECK (state IN ('current', 'superseded', 'applied', 'discarded')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK ((plan_file IS NULL) = (sha256 IS NULL))
  ) STRICT;
  CREATE UNIQUE INDEX plans_one_current ON plans (repo, pr, project) WHERE state = 'current';
  CREATE INDEX plans_by_pr ON plans (repo, pr, project, id);

  CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('plan', 'apply')),
    repo        TEXT NOT NULL,
    pr          INTEGER NOT NULL CHECK (pr > 0),
    project     TEXT NOT NULL,
    head_sha    TEXT NOT NULL,
    plan_id     INTEGER REFERENCES plans (id),
    actor       TEXT,
    state       TEXT NOT NULL
                CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    error       TEXT,
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER,
    updated_at  INTEGER NOT NULL,
    CHECK ((kind = 'apply') = (plan_id IS NOT NULL))
  ) STRICT;
  CREATE UNIQUE INDEX jobs_one_active_apply ON jobs (repo, project)
    WHERE kind = 'apply' AND state IN ('queued', 'running');
  CREATE INDEX jobs_active ON jobs (state) WHERE state IN ('queued', 'running');
  CREATE INDEX jobs_by_plan ON jobs (plan_id) WHERE plan_id IS NOT NULL;
  CREATE INDEX jobs_by_pr ON jobs (repo, pr);

  CREATE TABLE locks (
    repo        TEXT NOT NULL,
    project     TEXT NOT NULL,
    pr          INTEGER NOT NULL CHECK (pr > 0),
    acquired_at INTEGER NOT NULL,
    PRIMARY KEY (repo, project)
  ) STRICT;
  CREATE INDEX locks_by_pr ON locks (repo, pr);

  -- AUTOINCREMENT: ids are never reused, so "before" cursors stay meaningful.
  CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    repo        TEXT NOT NULL,
    pr          INTEGER,
    project     TEXT,
    head_sha    TEXT,
    plan_sha256 TEXT,
    result      TEXT NOT NULL,
    duration_ms INTEGER,
    detail_json TEXT CHECK (detail_json IS NULL OR json_valid(detail_json))
  ) STRICT;
  CREATE INDEX audit_by_pr ON audit (repo, pr, id);
  -- The audit log is evidence: the database itself refuses to rewrite it.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  // 2: the web UI lists the newest runs first.
  `
  CREATE INDEX jobs_recent ON jobs (created_at);
  `,
  // 3: a captured delivery replayed under a new id carries the same payload identity (comment id,
  // review id, PR + head + update time); NULL for events de-duplicated by delivery id only.
  `
  ALTER TABLE deliveries ADD COLUMN identity TEXT;
  CREATE UNIQUE INDEX deliveries_identity ON deliveries (identity) WHERE identity IS NOT NULL;
  `,
  // 4: an approval covers a plan. Each plan keeps the hash of its content and when the summary
  // first showed it; an interrupted apply keeps when the restart reported it (approvals before
  // that no longer count); the key makes content hashes shown on GitHub say nothing about the
  // sensitive values they cover.
  `
  ALTER TABLE plans ADD COLUMN content_hash TEXT CHECK (content_hash IS NULL OR length(content_hash) = 64);
  ALTER TABLE plans ADD COLUMN posted_at INTEGER;
  ALTER TABLE jobs ADD COLUMN reported_at INTEGER;
  CREATE INDEX jobs_interrupted_applies ON jobs (repo, project) WHERE kind = 'apply' AND state = 'interrupted';
  CREATE TABLE instance_keys (
    name TEXT PRIMARY KEY,
    key  BLOB NOT NULL CHECK (length(key) = 32)
  ) STRICT;
  `,
  // 5: each pull request's summary state survives a restart: what its comment and statuses show,
  // and which version of it the code host has seen (a restart re-publishes what it has not).
  `
  CREATE TABLE pr_states (
    repo              TEXT NOT NULL,
    pr                INTEGER NOT NULL CHECK (pr > 0),
    snapshot_json     TEXT NOT NULL,
    pr_state          TEXT NOT NULL CHECK (pr_state IN ('open', 'closed', 'merged')),
    version           INTEGER NOT NULL CHECK (version > 0),
    published_version INTEGER NOT NULL CHECK (published_version >= 0),
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (repo, pr)
  ) STRICT;
  CREATE INDEX pr_states_unsettled ON pr_states (updated_at) WHERE version > published_version OR pr_state = 'open';
  `,
  // 6: a delivery is recorded with its body before the 202 and stays pending until its handling
  // ends, so one accepted before a crash is handled after the restart. Older rows have no body:
  // nothing to resume.
  `
  ALTER TABLE deliveries ADD COLUMN body TEXT;
  ALTER TABLE deliveries ADD COLUMN finished_at INTEGER;
  ALTER TABLE deliveries ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0 CHECK (resumes >= 0);
  ALTER TABLE deliveries ADD COLUMN outcome TEXT CHECK (outcome IS NULL OR outcome IN ('handled', 'failed', 'abandoned'));
  CREATE INDEX deliveries_pending ON deliveries (received_at) WHERE body IS NOT NULL;
  `,
  // 7: the check runs that show each commit's results, so a publish (a restart's too) updates them
  // instead of adding duplicates, and a "Re-run" click is traced back to its pull request. pr is
  // NULL for a check set where no pull request's run is known.
  `
  CREATE TABLE check_runs (
    repo            TEXT NOT NULL,
    head_sha        TEXT NOT NULL,
    name            TEXT NOT NULL,
    pr              INTEGER CHECK (pr IS NULL OR pr > 0),
    check_run_id    INTEGER NOT NULL CHECK (check_run_id > 0),
    signature       TEXT NOT NULL,
    annotations_key TEXT NOT NULL,
    completed       INTEGER NOT NULL CHECK (completed IN (0, 1)),
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (repo, head_sha, name)
  ) STRICT;
  CREATE UNIQUE INDEX check_runs_by_id ON check_runs (repo, check_run_id);
  `,
  // 8: drift detection. Each check of a project at the default branch's head is a row, written as
  // 'started' before the plan runs, so a restart finds (and resumes) what a crash cut off, and a
  // schedule slot is never checked twice. Leases elect the one replica that runs the schedule.
  `
  CREATE TABLE drift_checks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    repo          TEXT NOT NULL,
    project       TEXT NOT NULL,
    sha           TEXT NOT NULL,
    scheduled_for INTEGER NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('started', 'in-sync', 'drifted', 'error')),
    add_count     INTEGER CHECK (add_count IS NULL OR add_count >= 0),
    change_count  INTEGER CHECK (change_count IS NULL OR change_count >= 0),
    destroy_count INTEGER CHECK (destroy_count IS NULL OR destroy_count >= 0),
    replace_count INTEGER CHECK (replace_count IS NULL OR replace_count >= 0),
    diff          TEXT,
    error         TEXT,
    lock_pr       INTEGER CHECK (lock_pr IS NULL OR lock_pr > 0),
    started_at    INTEGER NOT NULL,
    checked_at    INTEGER,
    resumes       INTEGER NOT NULL DEFAULT 0 CHECK (resumes >= 0),
    CHECK ((state = 'started') = (checked_at IS NULL)),
    CHECK ((state = 'drifted') = (add_count IS NOT NULL))
  ) STRICT;
  CREATE INDEX drift_checks_by_project ON drift_checks (repo, project, id);
  CREATE UNIQUE INDEX drift_checks_one_started ON drift_checks (repo, project) WHERE state = 'started';

  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  `,
  // 9: the GitHub issue of each drifted project. The number is stored right after the issue is
  // opened; a crash between the two is caught by the marker in the body (drift-issues.ts).
  `
  CREATE TABLE drift_issues (
    repo        TEXT NOT NULL,
    project     TEXT NOT NULL,
    issue       INTEGER NOT NULL CHECK (issue > 0),
    open        INTEGER NOT NULL CHECK (open IN (0, 1)),
    shown_state TEXT NOT NULL CHECK (shown_state IN ('in-sync', 'drifted', 'error')),
    check_id    INTEGER,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (repo, project)
  ) STRICT;
  CREATE UNIQUE INDEX drift_issues_by_issue ON drift_issues (repo, issue);
  `,
  // 10: what the default branch's policies say of a drifted plan (JSON of PolicyResult).
  `
  ALTER TABLE drift_checks ADD COLUMN policy_json TEXT;
  `,
];

/**
 * Brings the database to the newest schema this code knows. Each pending migration runs in its own
 * BEGIN IMMEDIATE transaction together with its `schema_migrations` row, so a crash leaves the
 * database at the previous version, and two processes opening at once apply each migration once.
 * A database newer than the code is refused: older code would misread or damage it.
 */
export function migrate(db: BetterSqlite3.Database, now: () => number, migrations: readonly string[] = MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const versionOf = db.prepare<[], { v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
  const record = db.prepare<[number, number]>("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
  const known = migrations.length;

  const refuseIfNewer = (version: number): void => {
    if (version > known) {
      throw new StoreError(
        "schema-too-new",
        `the database ${db.name} is at schema version ${version}, but this tfgate knows versions up to ${known}: ` +
          "upgrade tfgate, or point it at another data directory",
      );
    }
  };

  refuseIfNewer(versionOf.get()?.v ?? 0);
  for (let target = 1; target <= known; target++) {
    db.transaction(() => {
      // Read again under the write lock: another process may have migrated meanwhile.
      const version = versionOf.get()?.v ?? 0;
      refuseIfNewer(version);
      if (version >= target) return;
      db.exec(migrations[target - 1] as string);
      record.run(target, now());
    }).immediate();
  }
  return versionOf.get()?.v ?? 0;
}
