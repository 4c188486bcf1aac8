import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import { sql } from 'kysely'
import { DatabaseUnavailable, migrateToLatest, openStorage } from '../src/storage/database.ts'
import { readSettings, updateSettings } from '../src/settings/settings.ts'
import { DIALECTS } from './support/dialects.ts'
import { createPostgresDatabase } from './support/test-site.ts'

for (const dialect of DIALECTS) {
  describe(`storage on ${dialect}`, () => {
    /** An empty database of this engine, closed and removed when the test ends. */
    async function freshStorage(ctx: TestContext) {
      if (dialect === 'postgres') {
        const database = await createPostgresDatabase()
        const storage = await openStorage({ kind: 'postgres', url: database.url })
        ctx.after(async () => {
          await storage.close()
          await database.drop()
        })
        return storage
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-storage-'))
      const storage = await openStorage({ kind: 'sqlite', file: path.join(dir, 'nested', 'site.db') })
      ctx.after(async () => {
        await storage.close()
        fs.rmSync(dir, { recursive: true, force: true })
      })
      return storage
    }

    test('migrations create the schema and running them again changes nothing', async (ctx) => {
      const storage = await freshStorage(ctx)
      await migrateToLatest(storage.db)
      await migrateToLatest(storage.db)
      const tables = (await storage.db.introspection.getTables()).map((t) => t.name)
      for (const t of ['articles', 'article_slugs', 'comments', 'credits', 'settings', 'terms', 'users']) assert.ok(tables.includes(t), `${t} exists`)
    })

    test('settings keep their defaults until changed, and a bad value is refused whole', async (ctx) => {
      const storage = await freshStorage(ctx)
      await migrateToLatest(storage.db)
      assert.equal((await readSettings(storage.db)).permalinkStructure, '/%year%/%monthnum%/%day%/%postname%/')
      await updateSettings(storage.db, { title: 'The Riverside Gazette' })
      await assert.rejects(updateSettings(storage.db, { title: 'Renamed', postsPerPage: -1 }), /postsPerPage/)
      const settings = await readSettings(storage.db)
      assert.equal(settings.title, 'The Riverside Gazette')
      assert.equal(settings.postsPerPage, 10)
    })

    if (dialect === 'sqlite') {
      test('SQLite runs in WAL mode with full synchronous writes', async (ctx) => {
        const storage = await freshStorage(ctx)
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(storage.db)
        const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(storage.db)
        assert.equal(mode.rows[0]!.journal_mode, 'wal')
        assert.equal(sync.rows[0]!.synchronous, 2)
      })
    }
  })
}

test('a database that cannot be opened is reported with its path', async () => {
  const file = path.join(os.tmpdir(), `broadsheet-not-a-dir-${process.pid}`)
  fs.writeFileSync(file, 'x')
  try {
    await assert.rejects(openStorage({ kind: 'sqlite', file: path.join(file, 'site.db') }), (e: Error) => e instanceof DatabaseUnavailable && e.message.includes(file))
  } finally {
    fs.rmSync(file, { force: true })
  }
})

test('a PostgreSQL server that does not answer is reported with its URL, password hidden', async () => {
  await assert.rejects(
    openStorage({ kind: 'postgres', url: 'postgres://bs:hunter2@127.0.0.1:1/news' }),
    (e: Error) => e instanceof DatabaseUnavailable && e.message.includes('127.0.0.1:1') && !e.message.includes('hunter2'),
  )
})
