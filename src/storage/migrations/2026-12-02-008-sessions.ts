/**
 * Sign-in for the newsroom: sessions shared by every app process, one-time links (first
 * administrator, password reset), and API tokens that can be named, listed and revoked.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_by_user').on('sessions').columns(['user_id']).execute()

  await db.schema
    .createTable('account_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()

  await db.schema.alterTable('api_tokens').addColumn('label', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('api_tokens').addColumn('last_used_at', 'text').execute()
  await db.schema.alterTable('api_tokens').addColumn('revoked_at', 'text').execute()
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('disabled_at').execute()
  await db.schema.alterTable('api_tokens').dropColumn('revoked_at').execute()
  await db.schema.alterTable('api_tokens').dropColumn('last_used_at').execute()
  await db.schema.alterTable('api_tokens').dropColumn('label').execute()
  await db.schema.dropTable('account_links').execute()
  await db.schema.dropTable('sessions').execute()
}
