/**
 * @module Fixed-window rate limits kept in the database, so that every app process counts
 * together: comments per IP, privacy requests per sender and per address.
 */
import { RateLimited } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import * as store from './rate-limit-store.ts'

export interface Limit {
  /** What is counted, e.g. `comment:203.0.113.9`. */
  readonly bucket: string
  readonly max: number
  readonly windowSeconds: number
}

export interface RateLimiter {
  /** Counts one hit and throws `RateLimited` with `message(retryAfter)` when it is over the limit. */
  take(limit: Limit, now: Date, message: (retryAfter: number) => string): Promise<void>
  /** Drops up to `limit` windows that ended before `before` (the retention job runs it); answers how many. */
  forgetBefore(before: Date, limit: number): Promise<number>
}

/**
 * @example
 * const limiter = rateLimiter(storage.counters)
 * await limiter.take({ bucket: `comment:${ip}`, max: 10, windowSeconds: 60 }, now, (s) => `Please wait ${s} seconds.`)
 */
export function rateLimiter(db: DB): RateLimiter {
  return {
    async take(limit, now, message) {
      const nowSeconds = Math.floor(now.getTime() / 1000)
      const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds)
      const hits = await store.countHit(db, limit.bucket, windowStart)
      const retryAfter = windowStart + limit.windowSeconds - nowSeconds
      if (hits > limit.max) throw new RateLimited(message(retryAfter), retryAfter)
    },
    forgetBefore: (before, limit) => store.deleteWindowsBefore(db, Math.floor(before.getTime() / 1000), limit),
  }
}
