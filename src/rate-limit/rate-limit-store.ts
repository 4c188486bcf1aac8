/** @module The rate-limit module's SQL: one row a bucket and window, counted up atomically. */
import type { DB } from '../storage/database.ts'

/** Adds one hit to the bucket's window and returns the hits it has now (one statement: no race). */
export async function countHit(q: DB, bucket: string, windowStart: number): Promise<number> {
  const row = await q
    .insertInto('rate_limit_windows')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limit_windows.hits', '+', 1) })))
    .returning('hits')
    .executeTakeFirstOrThrow()
  return row.hits
}

export async function deleteWindowsBefore(q: DB, windowStart: number): Promise<void> {
  await q.deleteFrom('rate_limit_windows').where('window_start', '<', windowStart).execute()
}
