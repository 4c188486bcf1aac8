/**
 * Comment pages that cost the same deep in a long thread as at its start: an article's approved
 * top-level comments in order along one narrow index (a page is a short walk of it, never the
 * whole thread loaded and sliced), and replies found from their parent.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_threads').on('comments').columns(['article_id', 'status', 'id']).where(sql.ref('parent_id'), 'is', null).execute()
  await db.schema.createIndex('comments_by_parent').on('comments').columns(['parent_id', 'status', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_by_parent').execute()
  await db.schema.dropIndex('comments_threads').execute()
}
