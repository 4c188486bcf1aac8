/** @module The articles module's SQL for a whole-site export: every article in id order, every term, every author. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

/** The next `limit` articles after `afterId`, whatever their status, with their source and relations' ids. */
export function articlesAfter(q: Q, afterId: number, limit: number) {
  return q.selectFrom('articles').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute()
}

export function allTerms(q: Q) {
  return q.selectFrom('terms').select(['id', 'taxonomy', 'slug', 'name', 'parent_id', 'description']).orderBy('id').execute()
}

/** Users who sign at least one article. */
export function allBylines(q: Q) {
  return q
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'slug'])
    .where('id', 'in', (eb) => eb.selectFrom('article_authors').select('user_id'))
    .orderBy('id')
    .execute()
}
