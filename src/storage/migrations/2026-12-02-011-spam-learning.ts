/**
 * Learning that one client cannot poison: each logged lesson carries a fingerprint of the reported
 * text (a repeated report teaches once), and reputation counts independent witnesses (a repeated
 * report of the same sender counts once).
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('spam_training_log').addColumn('fingerprint', 'text').execute()
  await db.schema.createIndex('spam_training_log_by_fingerprint').on('spam_training_log').columns(['scope', 'fingerprint']).execute()

  await db.schema
    .createTable('spam_reputation_witnesses')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('witness', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('spam_reputation_witnesses_pk', ['scope', 'kind', 'key_hash', 'label', 'witness'])
    .execute()
  await db.schema.createIndex('spam_reputation_witnesses_by_key').on('spam_reputation_witnesses').columns(['key_hash']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spam_reputation_witnesses').execute()
  await db.schema.dropIndex('spam_training_log_by_fingerprint').execute()
  await db.schema.alterTable('spam_training_log').dropColumn('fingerprint').execute()
}
