/**
 * API tokens expire: each has an `expires_at`, after which it opens nothing. Tokens made before
 * this existed get 90 days from the migration (the new default lifetime), not from their making,
 * so no script in use loses its token the moment the site is upgraded.
 */
import type { Kysely } from 'kysely'

const DAY = 86_400_000
const GRACE_DAYS = 90

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute()
  const expiresAt = new Date(Date.now() + GRACE_DAYS * DAY).toISOString()
  await db.updateTable('api_tokens').set({ expires_at: expiresAt }).where('expires_at', 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute()
}
