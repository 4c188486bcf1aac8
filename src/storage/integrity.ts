/**
 * @module Whether a database's own structures are sound: SQLite's `integrity_check` and
 * `foreign_key_check`; on PostgreSQL, no index left invalid and, where the `amcheck` extension is
 * installed, every B-tree index checked against its table.
 */
import { sql, type Kysely } from 'kysely'
import type { StorageCapabilities } from './database.ts'

/**
 * What is wrong with the database, one line per problem; an empty list when it checks clean.
 * @example
 * const problems = await integrityProblems(site.db, site.storage.capabilities)
 * if (problems.length) throw new Error(problems.join('; '))
 */
export async function integrityProblems(db: Kysely<any>, capabilities: Pick<StorageCapabilities, 'engine'>): Promise<string[]> {
  return capabilities.engine === 'sqlite' ? sqliteProblems(db) : postgresProblems(db)
}

async function sqliteProblems(db: Kysely<any>): Promise<string[]> {
  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)
  const problems = integrity.rows.map((r) => r.integrity_check).filter((line) => line !== 'ok')
  const orphans = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db)
  for (const o of orphans.rows) problems.push(`${o.table} row ${o.rowid} points at a missing ${o.parent} row`)
  return problems
}

async function postgresProblems(db: Kysely<any>): Promise<string[]> {
  const invalid = await sql<{ name: string }>`
    select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and not i.indisvalid`.execute(db)
  const problems = invalid.rows.map((r) => `index ${r.name} is invalid`)
  const amcheck = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'amcheck'`.execute(db)
  if (!amcheck.rows[0]?.n) return problems
  const indexes = await sql<{ name: string; oid: number }>`
    select c.relname as name, c.oid::int as oid from pg_index i join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = c.relam
    where n.nspname = current_schema() and a.amname = 'btree' and i.indisvalid`.execute(db)
  for (const index of indexes.rows) {
    try {
      // heapallindexed: every row of the table is found in the index, not only the index's own order.
      await sql`select bt_index_check(${index.oid}::oid, true)`.execute(db)
    } catch (error) {
      problems.push(`index ${index.name}: ${(error as Error).message}`)
    }
  }
  return problems
}
