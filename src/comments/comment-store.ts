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

export function findComment(q: Q, id: number) {
  return q.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function approvedCountByEmail(q: Q, email: string): Promise<number> {
  const row = await q
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('author_email', '=', email)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Whether the same person already posted the same text on the same article. */
export async function isDuplicate(q: Q, articleId: number, email: string, author: string, content: string): Promise<boolean> {
  const row = await q
    .selectFrom('comments')
    .select('id')
    .where('article_id', '=', articleId)
    .where('content_markdown', '=', content)
    .where((eb) => eb.or([eb('author_email', '=', email), eb('author_name', '=', author)]))
    .where('status', '!=', 'trash')
    .executeTakeFirst()
  return row !== undefined
}

export async function setStatus(q: Q, id: number, status: CommentsTable['status']): Promise<void> {
  await q.updateTable('comments').set({ status }).where('id', '=', id).execute()
}

export async function logModeration(q: Q, commentId: number, actor: string, from: string, to: string, at: string): Promise<void> {
  await q.insertInto('comment_moderation_log').values({ comment_id: commentId, actor, from_status: from, to_status: to, at }).execute()
}

export function moderationHistory(q: Q, commentId: number) {
  return q.selectFrom('comment_moderation_log').select(['actor', 'from_status', 'to_status', 'at']).where('comment_id', '=', commentId).orderBy('id').execute()
}

export interface ModerationFilter {
  readonly status?: CommentsTable['status']
  readonly articleId?: number
}

export function listComments(q: Q, filter: ModerationFilter, limit: number, offset: number) {
  let query = q.selectFrom('comments').selectAll()
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.articleId !== undefined) query = query.where('article_id', '=', filter.articleId)
  return query.orderBy('id', 'desc').limit(limit).offset(offset).execute()
}

export async function countComments(q: Q, filter: ModerationFilter): Promise<number> {
  let query = q.selectFrom('comments').select((eb) => eb.fn.countAll<number | string>().as('n'))
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.articleId !== undefined) query = query.where('article_id', '=', filter.articleId)
  return Number((await query.executeTakeFirstOrThrow()).n)
}

/** How deep a comment sits in its thread (1 for a top-level comment). */
export async function depthOf(q: Q, id: number, limit: number): Promise<number> {
  let depth = 1
  let current = await q.selectFrom('comments').select('parent_id').where('id', '=', id).executeTakeFirst()
  while (current?.parent_id && depth <= limit) {
    depth++
    current = await q.selectFrom('comments').select('parent_id').where('id', '=', current.parent_id).executeTakeFirst()
  }
  return depth
}
