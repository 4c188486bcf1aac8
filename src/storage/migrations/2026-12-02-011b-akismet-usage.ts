/** What each Akismet key's sites asked and reported, per month, for `/1.2/usage-limit` and `/1.2/key-sites`. */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('akismet_usage')
    .addColumn('key_id', 'integer', (c) => c.notNull().references('akismet_keys.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('api_calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('missed_spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('false_positives', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('akismet_usage_pk', ['key_id', 'month', 'site'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('akismet_usage').execute()
}
