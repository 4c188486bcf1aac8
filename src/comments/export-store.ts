/** @module The comments module's SQL for a whole-site export: every comment of some articles, all statuses. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

export function commentsOfArticles(q: Q, articleIds: readonly number[]) {
  if (articleIds.length === 0) return Promise.resolve([])
  return q
    .selectFrom('comments')
    .select(['id', 'article_id', 'parent_id', 'author_name', 'author_email', 'author_url', 'author_ip', 'user_agent', 'content_markdown', 'content_html', 'status', 'created_at'])
    .where('article_id', 'in', articleIds)
    .orderBy('article_id')
    .orderBy('id')
    .execute()
}
