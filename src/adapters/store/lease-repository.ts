import type { Leases } from "../../app/ports/leases.js";
import { StoreError } from "../../app/ports/store-error.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkId, checkInteger } from "./validate.js";

const MAX_TTL_MS = 24 * 3600 * 1000;

/** Leases in SQLite: one row per name; BEGIN IMMEDIATE makes take-over atomic across processes. */
export function createLeaseRepository(ctx: StoreContext): Leases {
  const { db } = ctx;
  // Takes the lease when free, expired or already ours; leaves another live holder alone.
  const take = db.prepare<[string, string, number, number]>(
    `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  );
  const get = db.prepare<[string], { holder: string; expires_at: number }>("SELECT holder, expires_at FROM leases WHERE name = ?");
  const extend = db.prepare<[number, string, string]>("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?");
  const drop = db.prepare<[string, string]>("DELETE FROM leases WHERE name = ? AND holder = ?");
  const args = (name: string, holder: string, ttlMs: number) => [checkId(name, "name"), checkId(holder, "holder"), checkInteger(ttlMs, "ttlMs", 1, MAX_TTL_MS)] as const;

  return {
    acquire: (name, holder, ttlMs) =>
      guard("acquiring a lease", () => {
        const [n, h, ttl] = args(name, holder, ttlMs);
        return immediate(ctx, () => {
          const now = ctx.now();
          take.run(n, h, now + ttl, now);
          const row = get.get(n);
          if (row === undefined) throw new StoreError("store-failed", `the lease ${n} vanished while acquiring it`);
          return row.holder === h ? { status: "acquired" as const, expiresAt: row.expires_at } : { status: "held" as const, by: row.holder, until: row.expires_at };
        });
      }),
    renew: (name, holder, ttlMs) =>
      guard("renewing a lease", () => {
        const [n, h, ttl] = args(name, holder, ttlMs);
        return immediate(ctx, () => extend.run(ctx.now() + ttl, n, h).changes === 1);
      }),
    release: (name, holder) =>
      guard("releasing a lease", () => {
        drop.run(checkId(name, "name"), checkId(holder, "holder"));
      }),
  };
}
