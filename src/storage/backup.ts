/**
 * @module A consistent copy of the database in one file, and that file put back: on SQLite the
 * online backup API (better-sqlite3's `backup()`; writers go on meanwhile), on PostgreSQL
 * `pg_dump --format=custom` and `pg_restore` (Debian's postgresql-client), which read one
 * snapshot. Either way the copy holds every row committed before it was taken.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { DatabaseLocation } from '../config/config.ts'
import { Invalid, Unavailable } from '../errors.ts'
import { integrityProblems } from './integrity.ts'

/** The tables whose rows make a site: a database with none of these rows is empty (a fresh `migrate` leaves it so). */
const CONTENT_TABLES = ['articles', 'comments', 'users', 'terms', 'media'] as const

/** What a database file of each engine begins with. */
const SQLITE_MAGIC = 'SQLite format 3\0'
const PG_DUMP_MAGIC = 'PGDMP'

/**
 * Writes a copy of the database to `file` (which must not exist): an SQLite database file, or a
 * PostgreSQL custom-format dump. The SQLite copy is checked (`integrity_check`) before it is kept.
 * @example await snapshotDatabase({ kind: 'sqlite', file: './data/broadsheet.db' }, '/tmp/database.sqlite')
 */
export async function snapshotDatabase(location: DatabaseLocation, file: string): Promise<void> {
  if (location.kind === 'postgres') {
    await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`], location.url)
    return
  }
  if (!fs.existsSync(location.file)) throw new Invalid(`there is no SQLite database at ${location.file}`)
  const source = new SQLite(location.file, { fileMustExist: true })
  try {
    source.pragma('busy_timeout = 5000')
    // The first step copies 100 pages, then the rest in one step: one read transaction, so a write
    // by another process cannot make the copy start over again and again under a steady flood.
    await source.backup(file, { progress: () => 2 ** 30 })
  } finally {
    source.close()
  }
  const problems = await sqliteFileProblems(file)
  if (problems.length) throw new Unavailable(`the copy of ${location.file} failed its integrity check: ${problems[0]}`)
}

/** Whether the database has any articles, comments, users, terms or media (a missing SQLite file has none). */
export async function databaseHoldsData(location: DatabaseLocation): Promise<boolean> {
  if (location.kind === 'sqlite' && !fs.existsSync(location.file)) return false
  const db = location.kind === 'sqlite' ? sqliteKysely(new SQLite(location.file, { fileMustExist: true })) : await postgresKysely(location.url)
  try {
    const existing = new Set((await db.introspection.getTables()).map((t) => t.name))
    for (const table of CONTENT_TABLES) {
      if (existing.has(table) && (await db.selectFrom(table).selectAll().limit(1).execute()).length > 0) return true
    }
    return false
  } finally {
    await db.destroy()
  }
}

/**
 * Puts the copy made by `snapshotDatabase` back into the database at `location`, replacing what is
 * there (callers decide whether that is allowed; see `databaseHoldsData`). The site must be
 * stopped: on SQLite the copy is written through SQLite's backup API, so a server still writing
 * makes it fail rather than tear the file.
 */
export async function restoreDatabase(location: DatabaseLocation, file: string): Promise<void> {
  const kind = await copyKind(file)
  if (kind !== location.kind) {
    throw new Invalid(`this backup holds ${kind === 'sqlite' ? 'an SQLite' : 'a PostgreSQL'} database, but DATABASE_URL is ${location.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; restore it into the same engine`)
  }
  if (location.kind === 'postgres') {
    await runPgTool('pg_restore', ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--single-transaction', '--exit-on-error', file], location.url)
    return
  }
  const problems = await sqliteFileProblems(file)
  if (problems.length) throw new Invalid(`the database in this backup failed its integrity check: ${problems[0]}`)
  const copy = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    await copy.backup(location.file)
  } finally {
    copy.close()
  }
}

async function copyKind(file: string): Promise<'sqlite' | 'postgres'> {
  const head = Buffer.alloc(16)
  const fd = await fs.promises.open(file, 'r')
  try {
    await fd.read(head, 0, 16, 0)
  } finally {
    await fd.close()
  }
  if (head.toString('latin1') === SQLITE_MAGIC) return 'sqlite'
  if (head.subarray(0, PG_DUMP_MAGIC.length).toString('latin1') === PG_DUMP_MAGIC) return 'postgres'
  throw new Invalid('the database in this backup is neither an SQLite file nor a PostgreSQL dump')
}

async function sqliteFileProblems(file: string): Promise<string[]> {
  const db = sqliteKysely(new SQLite(file, { readonly: true, fileMustExist: true }))
  try {
    return await integrityProblems(db, { engine: 'sqlite' })
  } finally {
    await db.destroy()
  }
}

function sqliteKysely(connection: SQLite.Database): Kysely<any> {
  return new Kysely<any>({ dialect: new SqliteDialect({ database: connection }) })
}

async function postgresKysely(url: string): Promise<Kysely<any>> {
  const { default: pg } = await import('pg')
  const { PostgresDialect } = await import('kysely')
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) })
}

/**
 * Runs pg_dump or pg_restore against the database at `url`. The password travels in the
 * environment (PGPASSWORD), never on the command line where `ps` shows it.
 */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const target = new URL(url)
  const password = decodeURIComponent(target.password)
  target.password = ''
  const env = { ...process.env, ...(password && { PGPASSWORD: password }) }
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${target.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Unavailable(`${tool} is not installed; on PostgreSQL, backups need it (Debian: apt-get install postgresql-client)`, 'pg_tool_missing') : error)
    })
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new Unavailable(`${tool} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`.trim(), 'pg_tool_failed'))
    })
  })
}
