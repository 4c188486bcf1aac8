/** @module The settings module's SQL: one JSON value a key, site settings and signing secrets alike. */
import type { DB } from '../storage/database.ts'

export function allValues(db: DB): Promise<{ key: string; value: string }[]> {
  return db.selectFrom('settings').select(['key', 'value']).execute()
}

/** Writes several values in one transaction: all of them, or none. */
export async function writeValues(db: DB, values: Readonly<Record<string, string>>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(values)) {
      await trx.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
    }
  })
}

/**
 * Stores `value` under `key` unless the key has one already; returns the value that is stored.
 * Read first, so that a key that exists costs no write (pages that need a secret still render
 * while the database takes no writes).
 */
export async function valueOrInsert(db: DB, key: string, value: string): Promise<string> {
  const existing = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  if (existing) return existing.value
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute()
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()
  return row.value
}
