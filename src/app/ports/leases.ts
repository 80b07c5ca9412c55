export type LeaseAcquisition =
  | { readonly status: "acquired"; readonly expiresAt: number }
  | { readonly status: "held"; readonly by: string; readonly until: number };

/**
 * Named leases with an expiry, shared by every replica of tfgate through the store: work that
 * must run once across replicas (the drift schedule) runs where the lease is held. A holder that
 * dies stops renewing, and another takes over once the lease expires.
 */
export interface Leases {
  /** Atomic: succeeds when the lease is free, expired, or already this holder's (then extended). */
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseAcquisition>;
  /** Extends the lease only if `holder` still has it; false once another holder took it. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` has it, so another replica need not wait for the expiry. */
  release(name: string, holder: string): Promise<void>;
}
