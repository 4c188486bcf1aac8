/** @module Fixed-window rate limits kept in the database, so that every app process counts together. */
import type { DB } from '../storage/database.ts'

/**
 * Counts one hit in the current window and says whether it is over the limit.
 * @example await hit(db, 'comment:203.0.113.9', 10, 60, new Date()) // { allowed: true, retryAfter: 0 }
 */
export async function hit(db: DB, bucket: string, limit: number, windowSeconds: number, now: Date): Promise<{ allowed: boolean; retryAfter: number }> {
  const nowSeconds = Math.floor(now.getTime() / 1000)
  const windowStart = nowSeconds - (nowSeconds % windowSeconds)
  const row = await db
    .insertInto('rate_limit_windows')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limit_windows.hits', '+', 1) })))
    .returning('hits')
    .executeTakeFirstOrThrow()
  return { allowed: row.hits <= limit, retryAfter: windowStart + windowSeconds - nowSeconds }
}

/** Drops windows that ended before `before` (the retention job runs it). */
export async function forgetOldWindows(db: DB, before: Date): Promise<void> {
  await db.deleteFrom('rate_limit_windows').where('window_start', '<', Math.floor(before.getTime() / 1000)).execute()
}
