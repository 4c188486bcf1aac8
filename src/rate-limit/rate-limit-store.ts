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

/** Deletes up to `limit` windows that started before `windowStart` (oldest first); answers how many. */
export async function deleteWindowsBefore(q: DB, windowStart: number, limit: number): Promise<number> {
  const result = await q
    .deleteFrom('rate_limit_windows')
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('bucket', 'window_start'),
        'in',
        selectFrom('rate_limit_windows').select(['bucket', 'window_start']).where('window_start', '<', windowStart).orderBy('window_start').limit(limit).$asTuple('bucket', 'window_start'),
      ),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
