/** Listings sort by publication date; an index on it alone lets SQLite and PostgreSQL stop after a page. */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_by_published_at').on('articles').columns(['published_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_by_published_at').execute()
}
