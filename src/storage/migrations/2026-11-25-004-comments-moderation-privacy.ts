/** Moderation history, shared rate-limit windows, API tokens, personal-data requests. */
import type { Kysely } from 'kysely'
import { withId } from './dialect.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('comment_moderation_log'))
    .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('comment_moderation_log_by_comment').on('comment_moderation_log').columns(['comment_id', 'id']).execute()

  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'integer', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['bucket', 'window_start'])
    .execute()

  await withId(db, db.schema.createTable('api_tokens'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('privacy_requests'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute()

  await db.schema.createIndex('comments_by_status').on('comments').columns(['status', 'id']).execute()
  await db.schema.createIndex('comments_by_created').on('comments').columns(['created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_by_created').execute()
  await db.schema.dropIndex('comments_by_status').execute()
  for (const table of ['privacy_requests', 'api_tokens', 'rate_limit_windows', 'comment_moderation_log']) await db.schema.dropTable(table).execute()
}
