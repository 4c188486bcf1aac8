/**
 * @module Opens the site's database (SQLite by default, PostgreSQL when configured) behind one
 * Kysely instance, applies migrations, and says clearly when the database cannot be reached.
 */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type CompiledQuery, type DialectAdapter, type SqliteDatabase } from 'kysely'
import type { Pool } from 'pg'
import type { DatabaseLocation } from '../config/config.ts'
import { redactPassword } from '../config/config.ts'
import { Unavailable } from '../errors.ts'
import { migrations } from './migrations/index.ts'
import type { Database } from './schema.ts'

export type { Database } from './schema.ts'
export type DB = Kysely<Database>

/** The database could not be opened; the message names the file or (password hidden) URL. */
export class DatabaseUnavailable extends Unavailable {
  override readonly name = 'DatabaseUnavailable'
  constructor(message: string) {
    super(message, 'database_unavailable')
  }
}

/** What differs between engines, decided once here so that domain code never asks. */
export interface StorageCapabilities {
  readonly engine: 'sqlite' | 'postgres'
  /** How full-text search is done: SQLite's FTS5 table, or a PostgreSQL tsvector with a GIN index. */
  readonly fullText: 'fts5' | 'tsvector'
}

export interface Storage {
  readonly db: DB
  readonly capabilities: StorageCapabilities
  /**
   * A handle for counters whose loss in a power cut does no harm (rate-limit windows): on SQLite
   * a second connection that does not wait for the disk, on PostgreSQL the same pool. Durable
   * data never goes through it.
   */
  readonly counters: DB
  /** Where the data is, for messages (passwords hidden). */
  readonly describe: string
  /**
   * Calls `changed` soon after any process commits invalidations (migration 018): SQLite reads the
   * newest number every 250 ms on a connection of its own; PostgreSQL LISTENs, and calls it again
   * after each reconnect for what was missed meanwhile. Returns the function that stops it.
   */
  watchInvalidations(changed: () => void): () => Promise<void>
  /**
   * SQLite only: the newest invalidation's number as committed now, read at once (a few
   * microseconds), so that a page cache can check before every answer. PostgreSQL tells instead.
   */
  readonly newestInvalidation?: () => number
  /**
   * SQLite only: runs the statements in one transaction and answers each one's rows once the
   * commit is on disk, without holding the event loop while the disk works (see `offLoopCommits`).
   * PostgreSQL's driver never holds the loop, so it has none.
   */
  readonly commitOffLoop?: (queries: readonly CompiledQuery[]) => Promise<unknown[][]>
  /** Whether the database answers a trivial query now, and if not, what it said (the health check). */
  ping(): Promise<{ ok: true } | { ok: false; problem: string }>
  /** Whether the database takes a write now (a one-row upsert), and if not, what it said: a full disk, a lock, a read-only file or server. */
  probeWrite(): Promise<{ ok: true } | { ok: false; problem: string }>
  close(): Promise<void>
}

/**
 * Opens the database and checks that it answers.
 * @example
 * const storage = await openStorage({ kind: 'sqlite', file: './data/broadsheet.db' })
 * await migrateToLatest(storage.db)
 */
export async function openStorage(location: DatabaseLocation): Promise<Storage> {
  return location.kind === 'sqlite' ? openSqlite(location.file) : openPostgres(location.url)
}

async function openSqlite(file: string): Promise<Storage> {
  let connection: SQLite.Database
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    connection = new SQLite(file)
    // WAL lets readers go on while a comment is written; FULL makes every acknowledged write
    // survive a power cut, not just a process crash.
    connection.pragma('journal_mode = WAL')
    connection.pragma('synchronous = FULL')
    connection.pragma('foreign_keys = ON')
    connection.pragma('busy_timeout = 5000')
    // 32 MB of page cache (the default is 2 MB): a large write (an import of a whole archive)
    // keeps its index pages in memory instead of re-reading them from the file and WAL.
    connection.pragma('cache_size = -32768')
  } catch (error) {
    throw new DatabaseUnavailable(`cannot open SQLite database ${file}: ${(error as Error).message}`)
  }
  const statements = withStatementCache(connection)
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect({ database: statements }) })
  const commits = offLoopCommits(connection, statements, `${file}-wal`)
  const countersConnection = new SQLite(file)
  countersConnection.pragma('synchronous = OFF')
  countersConnection.pragma('busy_timeout = 5000')
  const counters = new Kysely<Database>({ dialect: new TransactionalSqliteDialect({ database: withStatementCache(countersConnection) }) })
  const newestInvalidation = sqliteNewestInvalidation(file)
  const watchers = new Set<NodeJS.Timeout>()
  return {
    db,
    counters,
    capabilities: { engine: 'sqlite', fullText: 'fts5' },
    describe: file,
    ping: () => answers(db),
    probeWrite: () => takesWrites(db),
    newestInvalidation: newestInvalidation.read,
    commitOffLoop: commits.commit,
    watchInvalidations(changed) {
      let seen = newestInvalidation.read()
      const timer = setInterval(() => {
        const newest = newestInvalidation.read()
        if (newest !== seen) changed()
        seen = newest
      }, INVALIDATION_POLL_MS)
      timer.unref()
      watchers.add(timer)
      return async () => {
        clearInterval(timer)
        watchers.delete(timer)
      }
    },
    close: async () => {
      for (const timer of watchers) clearInterval(timer)
      newestInvalidation.close()
      await commits.close()
      await counters.destroy()
      await db.destroy()
    },
  }
}

async function openPostgres(url: string): Promise<Storage> {
  // Loaded only for PostgreSQL sites: the driver takes a tenth of a second to load.
  const { default: pg } = await import('pg')
  const pool: Pool = new pg.Pool({ connectionString: url, max: 10 })
  // An idle connection the server closes (a restart, a failover, an administrator) is dropped
  // from the pool and the next query opens a new one; unheard, the error would end the process.
  pool.on('error', (error) => process.stderr.write(`PostgreSQL closed an idle connection: ${error.message}\n`))
  // A connection the server ends while a query is out on it fails that query (which answers for
  // it) and also emits 'error' on the connection, where the pool is not listening while it is
  // lent out; heard here, the pool then drops the connection when it comes back.
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy().catch(() => {})
    throw new DatabaseUnavailable(`cannot connect to PostgreSQL at ${redactPassword(url)}: ${(error as Error).message}`)
  }
  const listeners = new Set<() => Promise<void>>()
  return {
    db,
    counters: db,
    capabilities: { engine: 'postgres', fullText: 'tsvector' },
    describe: redactPassword(url),
    ping: () => answers(db),
    probeWrite: () => takesWrites(db),
    watchInvalidations(changed) {
      const stop = listenOnPostgres(pg.Client, url, INVALIDATIONS_CHANNEL, changed)
      listeners.add(stop)
      return async () => {
        listeners.delete(stop)
        await stop()
      }
    },
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()))
      await db.destroy()
    },
  }
}

/** How often SQLite processes look for invalidations recorded by others (a read of one B-tree's last key). */
const INVALIDATION_POLL_MS = 250
/** The channel migration 018's triggers NOTIFY. */
const INVALIDATIONS_CHANNEL = 'broadsheet_invalidations'
/** How long a lost LISTEN connection waits before it tries again. */
const RELISTEN_MS = 500

/**
 * The newest invalidation number on a read-only connection of its own: never behind a
 * transaction of this process (WAL readers see what is committed), and 0 before the table exists.
 */
function sqliteNewestInvalidation(file: string): { read(): number; close(): void } {
  const connection = new SQLite(file, { readonly: true, fileMustExist: true })
  let statement: SQLite.Statement<[], { n: number | null }> | undefined
  return {
    read() {
      try {
        statement ??= connection.prepare<[], { n: number | null }>('select max(seq) as n from invalidations')
        return statement.get()?.n ?? 0
      } catch {
        return 0
      }
    },
    close: () => connection.close(),
  }
}

/**
 * A connection of its own that LISTENs on `channel` and calls `changed` for each notification; lost,
 * it connects again and calls `changed` once it listens (rows recorded meanwhile were not heard).
 */
function listenOnPostgres(Client: typeof import('pg').Client, url: string, channel: string, changed: () => void): () => Promise<void> {
  let stopped = false
  let client: import('pg').Client | undefined
  let retry: NodeJS.Timeout | undefined
  const again = (lost: import('pg').Client) => {
    if (stopped || client !== lost) return
    client = undefined
    lost.end().catch(() => {})
    retry = setTimeout(connect, RELISTEN_MS)
    retry.unref()
  }
  const connect = () => {
    const c = new Client({ connectionString: url })
    client = c
    c.on('notification', () => changed())
    c.on('error', () => again(c))
    c.on('end', () => again(c))
    c.connect()
      .then(() => c.query(`listen ${channel}`))
      .then(() => {
        if (!stopped) changed()
      })
      .catch(() => again(c))
  }
  connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => {})
  }
}

async function answers(db: DB): Promise<{ ok: true } | { ok: false; problem: string }> {
  try {
    await sql`select 1`.execute(db)
    return { ok: true }
  } catch (error) {
    return { ok: false, problem: (error as Error).message }
  }
}

async function takesWrites(db: DB): Promise<{ ok: true } | { ok: false; problem: string }> {
  const checkedAt = new Date().toISOString()
  try {
    await db.insertInto('health_probe').values({ probe: 'write', checked_at: checkedAt }).onConflict((oc) => oc.column('probe').doUpdateSet({ checked_at: checkedAt })).execute()
    return { ok: true }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    return { ok: false, problem: `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`.slice(0, 300) }
  }
}

/** Applies every pending migration, each in its own transaction, on either engine. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`)
  }
}

/** Most queries repeat with new parameters; preparing each one again was a fifth of a page's time. */
const STATEMENT_CACHE_SIZE = 500

function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => connection.close(),
    prepare(query: string) {
      let statement = cache.get(query)
      if (statement) return statement
      statement = connection.prepare(query)
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      cache.set(query, statement)
      return statement
    },
  }
}

/**
 * Durable commits that leave the event loop free while the disk works. A commit at
 * `synchronous = FULL` calls fsync on the loop (a millisecond or more, during which no request is
 * served). Here the transaction commits at `NORMAL` (the WAL frames are written, not flushed; the
 * setting is this connection's and is put back at once, before anything else can run on it), then
 * the WAL file is flushed with fsync in libuv's thread pool, and only then are the rows answered.
 * Frames a checkpoint moves into the database before that flush are safe too: at `NORMAL` a
 * checkpoint syncs the database before the WAL is reused.
 */
function offLoopCommits(connection: SQLite.Database, statements: SqliteDatabase, walFile: string) {
  const normal = connection.prepare('pragma synchronous = NORMAL')
  const full = connection.prepare('pragma synchronous = FULL')
  const runAll = connection.transaction((queries: readonly CompiledQuery[]) =>
    queries.map((q) => {
      const statement = statements.prepare(q.sql) as unknown as SQLite.Statement<unknown[]>
      if (statement.reader) return statement.all(...q.parameters)
      statement.run(...q.parameters)
      return []
    }),
  )
  const flushes = walFlushes(walFile)
  return {
    async commit(queries: readonly CompiledQuery[]): Promise<unknown[][]> {
      // A transaction of Kysely's still open on the connection (one awaiting something outside the
      // database) is let finish first: these statements must not join it.
      while (connection.inTransaction) await new Promise((resolve) => setImmediate(resolve))
      normal.run()
      let rows: unknown[][]
      try {
        rows = runAll(queries)
      } finally {
        full.run()
      }
      await flushes.afterCommit()
      return rows
    },
    close: flushes.close,
  }
}

/**
 * The WAL file's fsyncs, one at a time: a commit waits for the first flush that starts after it,
 * so commits never wait for one another and every flush covers all the commits made before it.
 */
function walFlushes(walFile: string) {
  // The WAL file lives as long as any connection to the database is open, and this one is.
  let handle: Promise<fs.promises.FileHandle> | undefined
  let flushing: Promise<void> | undefined
  let next: Promise<void> | undefined
  const flush = async () => {
    handle ??= fs.promises.open(walFile, 'r')
    try {
      await (await handle).sync()
    } catch (error) {
      handle = undefined
      throw error
    }
  }
  return {
    /** Resolves once everything committed so far is on disk. */
    afterCommit(): Promise<void> {
      if (!flushing) {
        flushing = flush().finally(() => (flushing = undefined))
        return flushing
      }
      // A flush is under way and may have begun before this commit: the one after it covers it.
      next ??= flushing.catch(() => {}).then(() => {
        next = undefined
        flushing = flush().finally(() => (flushing = undefined))
        return flushing
      })
      return next
    },
    async close(): Promise<void> {
      await flushing?.catch(() => {})
      await next?.catch(() => {})
      if (handle) await (await handle).close().catch(() => {})
    },
  }
}

/** SQLite does run DDL inside transactions; Kysely's adapter just doesn't claim it. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter()
  }
}
