/**
 * A new comment is checked against the same person's earlier comments on the article for a
 * repeat. Each comment now carries a hash of its text, and an index on (article, hash) finds a
 * repeat in one seek, however many comments that person has made there.
 *
 * Comments made before have no hash yet: the retention job fills it in, a thousand at a time,
 * along a partial index of those still without one (over a million comments this migration
 * itself would stall the first start for many seconds). Until that is done the duplicate check
 * also asks the old way.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('content_hash', 'text').execute()
  await db.schema.createIndex('comments_article_text').on('comments').columns(['article_id', 'content_hash']).execute()
  await db.schema.createIndex('comments_unhashed').on('comments').column('id').where(sql.ref('content_hash'), 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_unhashed').execute()
  await db.schema.dropIndex('comments_article_text').execute()
  await db.schema.alterTable('comments').dropColumn('content_hash').execute()
}
