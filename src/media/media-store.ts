/** @module The media module's SQL: the `media` table, nothing else. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'
import type { Database, MediaTable } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>
export type MediaRow = Selectable<MediaTable>

export async function insertMedia(q: Q, row: Insertable<MediaTable>): Promise<MediaRow> {
  return q.insertInto('media').values(row).returningAll().executeTakeFirstOrThrow()
}

export function findMedia(q: Q, id: number): Promise<MediaRow | undefined> {
  return q.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findMediaByIds(q: Q, ids: readonly number[]): Promise<MediaRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return q.selectFrom('media').selectAll().where('id', 'in', ids).execute()
}

/** An uploaded image with these bytes and these words, if one was added before. */
export function findSameUpload(q: Q, contentHash: string, words: { alt: string; caption: string; credit: string }): Promise<MediaRow | undefined> {
  return q
    .selectFrom('media')
    .selectAll()
    .where('content_hash', '=', contentHash)
    .where('alt', '=', words.alt)
    .where('caption', '=', words.caption)
    .where('credit', '=', words.credit)
    .orderBy('id')
    .executeTakeFirst()
}
