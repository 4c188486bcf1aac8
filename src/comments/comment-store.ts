/** @module The comments module's SQL. */
import type { Kysely, Transaction } from 'kysely'
import type { Insertable } from 'kysely'
import type { CommentsTable, Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

export async function approvedCounts(q: Q, articleIds: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>()
  if (articleIds.length === 0) return counts
  const rows = await q
    .selectFrom('comments')
    .select(['article_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('article_id', 'in', articleIds)
    .where('status', '=', 'approved')
    .groupBy('article_id')
    .execute()
  for (const r of rows) counts.set(r.article_id, Number(r.n))
  return counts
}

export function approvedForArticle(q: Q, articleId: number) {
  return q
    .selectFrom('comments')
    .select(['id', 'parent_id', 'author_name', 'author_url', 'content_html', 'created_at'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .orderBy('id')
    .execute()
}

export type NewCommentRow = Insertable<CommentsTable>

export async function insertComment(q: Q, row: NewCommentRow): Promise<number> {
  const { id } = await q.insertInto('comments').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}
