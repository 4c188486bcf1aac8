/**
 * Background sweeps that touch only what is still to do: a lease row per job (one process at a
 * time across every process and host), a mark on comments whose IP has been anonymised, and
 * partial indexes over exactly the rows each sweep still has to change or remove.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema.alterTable('comments').addColumn('ip_anonymised', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema
    .createIndex('comments_ip_to_anonymise')
    .on('comments')
    .columns(['created_at', 'id'])
    .where(sql.ref('author_ip'), 'is not', null)
    .where(sql.ref('ip_anonymised'), '=', 0)
    .execute()
  await db.schema.createIndex('comments_user_agent_kept').on('comments').column('id').where(sql.ref('user_agent'), 'is not', null).execute()
  await db.schema.createIndex('rate_limit_windows_by_start').on('rate_limit_windows').columns(['window_start', 'bucket']).execute()
  await db.schema.createIndex('sessions_by_expiry').on('sessions').column('expires_at').execute()
  await db.schema.createIndex('account_links_by_expiry').on('account_links').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['account_links_by_expiry', 'sessions_by_expiry', 'rate_limit_windows_by_start', 'comments_user_agent_kept', 'comments_ip_to_anonymise']) {
    await db.schema.dropIndex(index).execute()
  }
  await db.schema.alterTable('comments').dropColumn('ip_anonymised').execute()
  await db.schema.dropTable('job_leases').execute()
}
