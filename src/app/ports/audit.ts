export interface AuditInput {
  /** GitHub login, or "tfgate" for the server itself. */
  readonly actor: string;
  /** Lower-case word(s) with dashes: "apply", "unlock", ... */
  readonly action: string;
  readonly repo: string;
  readonly pr?: number;
  readonly project?: string;
  readonly headSha?: string;
  readonly planSha256?: string;
  /** Lower-case word(s) with dashes: "succeeded", "failed", "denied", "interrupted", ... */
  readonly result: string;
  readonly durationMs?: number;
  /** JSON-serialisable; never put secrets here. */
  readonly detail?: unknown;
}

export interface AuditRecord {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly repo: string;
  readonly pr: number | null;
  readonly project: string | null;
  readonly headSha: string | null;
  readonly planSha256: string | null;
  readonly result: string;
  readonly durationMs: number | null;
  readonly detail: unknown;
}

export interface AuditQuery {
  /** 1–1000; 100 when omitted. */
  readonly limit?: number;
  /** Only records with an id below this one (paging backwards from the newest). */
  readonly before?: number;
  readonly repo?: string;
  readonly pr?: number;
}

/** Append-only: the database refuses updates and deletes of audit rows. */
export interface AuditLog {
  append(entry: AuditInput): Promise<AuditRecord>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<AuditRecord[]>;
}
