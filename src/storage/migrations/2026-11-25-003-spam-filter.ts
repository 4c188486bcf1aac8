/** The spam filter's state: Akismet API keys, the log of decisions it learned from, reputation counts. */
import type { Kysely } from 'kysely'
import { withId } from './dialect.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('akismet_keys'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('site_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('spam_training_log'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('vector', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('spam_training_log_by_scope').on('spam_training_log').columns(['scope', 'id']).execute()

  await db.schema
    .createTable('spam_reputation')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('spam_reputation_pk', ['scope', 'kind', 'key_hash'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['spam_reputation', 'spam_training_log', 'akismet_keys']) await db.schema.dropTable(table).execute()
}
