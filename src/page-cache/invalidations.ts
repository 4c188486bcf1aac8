/**
 * @module Follows the invalidations every process records (migration 018) and hands their tags
 * to this process's page cache: told by the storage's watch (SQLite polling, PostgreSQL
 * LISTEN/NOTIFY), asked directly after this process's own writes, and checked before answers
 * where the engine can say at once that something is newer (SQLite).
 */
import type { Storage } from '../storage/database.ts'
import { invalidationsAfter, newestSeq, oldestSeq, sweepInvalidations } from './invalidation-store.ts'

/**
 * Rows read again below the newest one read: on PostgreSQL a sequence number is taken when a row
 * is written, not when its transaction commits, so a lower number can appear after a higher one.
 */
const LOOKBACK = 100
/** More rows than this behind, and the cache is cleared instead of read tag by tag. */
const BATCH = 1000
/** How long invalidations are kept: a process out of touch for longer clears its whole cache. */
const KEEP_MS = 3600_000
const SWEEP_EVERY_MS = 600_000
/** How often a reader checks that nothing it had not read was swept (it was out of touch too long). */
const GAP_CHECK_MS = 60_000

export interface InvalidationFollower {
  /** Reads what was recorded since the last read and applies it; a call waits for a read that began after it. */
  catchUp(): Promise<void>
  /** Whether the database holds invalidations not yet applied, when the engine can say at once (SQLite); else false. */
  behind(): boolean
  stop(): Promise<void>
}

/**
 * Starts following from the newest invalidation now (a new cache holds nothing older).
 * @example
 * const follower = await followInvalidations(storage, (tags) => pages.invalidate(tags), (e) => log.error(e))
 */
export async function followInvalidations(
  storage: Pick<Storage, 'db' | 'watchInvalidations' | 'newestInvalidation'>,
  apply: (tags: ReadonlySet<string>) => void,
  report: (error: unknown) => void,
  options: { readonly gapCheckMs?: number } = {},
): Promise<InvalidationFollower> {
  const { db } = storage
  const gapCheckMs = options.gapCheckMs ?? GAP_CHECK_MS
  let applied = await newestSeq(db)
  // What was recorded before this process began is in no page of its cache.
  const startedAt = applied
  const seen = new Set<number>()
  let gapCheckedAt = Date.now()

  const read = async () => {
    const tags = new Set<string>()
    if (Date.now() - gapCheckedAt >= gapCheckMs) {
      gapCheckedAt = Date.now()
      const oldest = await oldestSeq(db)
      if (oldest > applied + 1) tags.add('all')
    }
    const rows = await invalidationsAfter(db, Math.max(0, applied - LOOKBACK), BATCH)
    if (rows.length === BATCH) {
      tags.add('all')
      applied = await newestSeq(db)
      seen.clear()
    } else {
      for (const row of rows) {
        if (row.seq <= startedAt || seen.has(row.seq)) continue
        seen.add(row.seq)
        tags.add(row.tag)
        if (row.seq > applied) applied = row.seq
      }
      for (const seq of seen) if (seq <= applied - LOOKBACK) seen.delete(seq)
    }
    if (tags.size > 0) apply(tags)
  }

  // One read at a time; a call made while one runs gets the next, which sees everything committed before it.
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  const catchUp = (): Promise<void> => {
    if (queued) return queued
    if (!running) {
      running = read().finally(() => (running = undefined))
      return running
    }
    queued = running.catch(() => {}).then(() => {
      queued = undefined
      return catchUp()
    })
    return queued
  }

  const stopWatching = storage.watchInvalidations(() => catchUp().catch(report))
  const sweeper = setInterval(() => sweepInvalidations(db, new Date(Date.now() - KEEP_MS)).catch(report), SWEEP_EVERY_MS)
  sweeper.unref()
  return {
    catchUp,
    behind: () => (storage.newestInvalidation ? storage.newestInvalidation() > applied : false),
    async stop() {
      clearInterval(sweeper)
      await stopWatching()
      await running?.catch(() => {})
    },
  }
}
