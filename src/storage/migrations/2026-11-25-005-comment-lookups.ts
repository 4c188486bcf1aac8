/** Indexes for the duplicate check (same person, same text, same article). */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_by_article_email').on('comments').columns(['article_id', 'author_email']).execute()
  await db.schema.createIndex('comments_by_article_author').on('comments').columns(['article_id', 'author_name']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_by_article_author').execute()
  await db.schema.dropIndex('comments_by_article_email').execute()
}
