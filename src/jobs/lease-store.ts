/** @module The jobs module's SQL: one lease row per background job. */
import type { DB } from '../storage/database.ts'

/**
 * Takes the job's lease for `holder` until `expiresAt` when nobody holds it or the holder's lease
 * ran out (or it is `holder`'s already): one upsert, so of two processes asking at once exactly one gets it.
 */
export async function takeLease(q: DB, name: string, holder: string, now: string, expiresAt: string): Promise<boolean> {
  const row = await q
    .insertInto('job_leases')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) => eb.or([eb('job_leases.expires_at', '<=', now), eb('job_leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst()
  return row?.holder === holder
}

/** Extends a lease its holder still has; false when another process has taken it since. */
export async function renewLease(q: DB, name: string, holder: string, expiresAt: string): Promise<boolean> {
  const result = await q.updateTable('job_leases').set({ expires_at: expiresAt }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Gives the lease up (it expires now), if `holder` still has it. */
export async function releaseLease(q: DB, name: string, holder: string, now: string): Promise<void> {
  await q.updateTable('job_leases').set({ expires_at: now }).where('name', '=', name).where('holder', '=', holder).execute()
}
