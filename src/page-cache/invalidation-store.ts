/** @module The page cache's SQL: the invalidations the triggers of migration 018 record. */
import type { DB } from '../storage/database.ts'

export interface RecordedInvalidation {
  readonly seq: number
  readonly tag: string
}

/** The newest invalidation's number (0 when there is none). */
export async function newestSeq(db: DB): Promise<number> {
  const row = await db.selectFrom('invalidations').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** The oldest invalidation still kept (0 when there is none): a reader behind it has missed some. */
export async function oldestSeq(db: DB): Promise<number> {
  const row = await db.selectFrom('invalidations').select((eb) => eb.fn.min('seq').as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Invalidations numbered above `seq`, oldest first, at most `limit`. */
export async function invalidationsAfter(db: DB, seq: number, limit: number): Promise<RecordedInvalidation[]> {
  const rows = await db.selectFrom('invalidations').select(['seq', 'tag']).where('seq', '>', seq).orderBy('seq').limit(limit).execute()
  return rows.map((r) => ({ seq: Number(r.seq), tag: r.tag }))
}

/** Forgets invalidations recorded before `cutoff`; returns how many. */
export async function sweepInvalidations(db: DB, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom('invalidations').where('recorded_at', '<', cutoff.toISOString()).executeTakeFirst()
  return Number(result.numDeletedRows)
}
