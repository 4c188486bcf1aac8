/**
 * @module Fixed-window rate limits kept in the database, so that every app process counts
 * together: comments per IP, privacy requests per sender and per address.
 */
import { RateLimited } from '../errors.ts'
import type { DB } from '../storage/database.ts'

export interface Limit {
  /** What is counted, e.g. `comment:203.0.113.9`. */
  readonly bucket: string
  readonly max: number
  readonly windowSeconds: number
}

export interface RateLimiter {
  /** Counts one hit; says whether it is over the limit and when the window ends. */
  hit(limit: Limit, now: Date): Promise<{ allowed: boolean; retryAfter: number }>
  /** Counts one hit and throws `RateLimited` with `message(retryAfter)` when it is over. */
  take(limit: Limit, now: Date, message: (retryAfter: number) => string): Promise<void>
  /** Drops windows that ended before `before` (the retention job runs it). */
  forgetBefore(before: Date): Promise<void>
}

/**
 * @example
 * const limiter = rateLimiter(storage.counters)
 * await limiter.take({ bucket: `comment:${ip}`, max: 10, windowSeconds: 60 }, now, (s) => `Please wait ${s} seconds.`)
 */
export function rateLimiter(db: DB): RateLimiter {
  const hit = async (limit: Limit, now: Date) => {
    const nowSeconds = Math.floor(now.getTime() / 1000)
    const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds)
    const row = await db
      .insertInto('rate_limit_windows')
      .values({ bucket: limit.bucket, window_start: windowStart, hits: 1 })
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limit_windows.hits', '+', 1) })))
      .returning('hits')
      .executeTakeFirstOrThrow()
    return { allowed: row.hits <= limit.max, retryAfter: windowStart + limit.windowSeconds - nowSeconds }
  }
  return {
    hit,
    async take(limit, now, message) {
      const result = await hit(limit, now)
      if (!result.allowed) throw new RateLimited(message(result.retryAfter), result.retryAfter)
    },
    async forgetBefore(before) {
      await db.deleteFrom('rate_limit_windows').where('window_start', '<', Math.floor(before.getTime() / 1000)).execute()
    },
  }
}
