import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import { sql } from 'kysely'
import { DatabaseUnavailable, migrateToLatest, openStorage } from '../src/storage/database.ts'
import { readSettings, updateSettings } from '../src/settings/settings.ts'
import { DIALECTS } from './support/dialects.ts'
import { createPostgresDatabase, freshStorage } from './support/test-site.ts'
import { saveArticle } from '../src/articles/articles.ts'
import { relist } from '../src/articles/listing-store.ts'
import { insertCommentQuery } from '../src/comments/comment-store.ts'
import * as articleListings from '../src/storage/migrations/2026-12-02-016-article-listings.ts'
import * as listingPositions from '../src/storage/migrations/2026-12-02-017-listing-positions.ts'

for (const dialect of DIALECTS) {
  describe(`storage on ${dialect}`, () => {
    /** An empty database of this engine (its SQLite file in a folder still to be made), closed and removed when the test ends. */
    const emptyStorage = (ctx: TestContext) => freshStorage(ctx, dialect, path.join('nested', 'site.db'))

    test('migrations create the schema and running them again changes nothing', async (ctx) => {
      const storage = await emptyStorage(ctx)
      await migrateToLatest(storage.db)
      await migrateToLatest(storage.db)
      const tables = (await storage.db.introspection.getTables()).map((t) => t.name)
      for (const t of ['articles', 'article_slugs', 'comments', 'credits', 'settings', 'terms', 'users']) assert.ok(tables.includes(t), `${t} exists`)
    })

    test('the listings migration fills the lists and counts from the articles already stored', async (ctx) => {
      const storage = await emptyStorage(ctx)
      await migrateToLatest(storage.db)
      const at = new Date('2026-11-20T08:00:00Z')
      await saveArticle(storage.db, { title: 'Flood wall approved', categories: ['Local'], tags: ['Flooding'], authors: ['Tom Reyes'], publishedAt: at }, at)
      const budget = await saveArticle(storage.db, { title: 'Budget day', categories: ['Local'], authors: ['Ann Desk'], publishedAt: at }, at)
      // Sticky, as WordPress imports make stories.
      await storage.db.updateTable('articles').set({ sticky: 1 }).where('id', '=', budget.article.id).execute()
      await relist(storage.db, budget.article.id)
      await saveArticle(storage.db, { title: 'Unfinished draft', status: 'draft', categories: ['Local'] }, at)
      const snapshot = async () => ({
        entries: (await storage.db.selectFrom('article_listings').select(['list_kind', 'list_id', 'article_id', 'sticky', 'position']).orderBy(['list_kind', 'list_id', 'article_id']).execute()).map((r) => ({ ...r, sticky: Number(r.sticky), position: Number(r.position) })),
        counts: (await storage.db.selectFrom('article_listing_counts').select(['list_kind', 'list_id', 'n']).orderBy(['list_kind', 'list_id']).execute()).map((r) => ({ ...r, n: Number(r.n) })),
      })
      const kept = await snapshot()
      assert.equal(kept.entries.length, 9, 'the site list, the sticky and unsticky lists, the terms and the bylines hold the two live stories, not the draft')
      assert.ok(kept.entries.some((e) => e.list_kind === 'sticky'))
      assert.deepEqual(kept.entries.filter((e) => e.list_kind === 'site').map((e) => e.position), [1, 2], 'the site list is in positions from the oldest')
      // As on a site that upgrades: the tables and their positions made again from the articles alone.
      await listingPositions.down(storage.db)
      await articleListings.down(storage.db)
      await articleListings.up(storage.db)
      await listingPositions.up(storage.db)
      assert.deepEqual(await snapshot(), kept)
    })

    if (dialect === 'sqlite') {
      test('a batch committed off the event loop waits for a transaction left open on the connection instead of joining it, and the next write waits for the disk again', async (ctx) => {
        const storage = await emptyStorage(ctx)
        await migrateToLatest(storage.db)
        const { article } = await saveArticle(storage.db, { title: 'Flood wall approved', publishedAt: new Date('2026-11-20T08:00:00Z') })
        const row = (content: string) => ({
          article_id: article.id, parent_id: null, author_name: 'Ann', author_email: 'ann@example.org', author_url: '', author_ip: null, user_agent: null,
          content_markdown: content, content_html: `<p>${content}</p>`, status: 'approved' as const, reasons: '[]', spam_score: 0, notify_replies: 0, created_at: '2026-11-20T09:00:00.000Z',
        })
        let began!: () => void
        const open = new Promise<void>((resolve) => (began = resolve))
        // A transaction that awaits something outside the database, then fails and rolls back.
        const failing = storage.db.transaction().execute(async (trx) => {
          await insertCommentQuery(trx, row('Rolled back with its transaction.')).execute()
          began()
          await new Promise((resolve) => setTimeout(resolve, 50))
          throw new Error('the editor cancelled')
        })
        const rolledBack = assert.rejects(failing, /cancelled/)
        await open
        const answered = await storage.commitOffLoop!([insertCommentQuery(storage.db, row('Committed on its own.')).compile()])
        await rolledBack
        const stored = await storage.db.selectFrom('comments').select(['id', 'content_markdown']).execute()
        assert.deepEqual(stored.map((c) => c.content_markdown), ['Committed on its own.'])
        assert.deepEqual(answered, [[{ id: stored[0]!.id }]], 'each statement answers its rows')
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(storage.db)
        assert.equal(rows[0]!.synchronous, 2, 'the connection is back at synchronous = FULL')
      })
    }

    test('settings keep their defaults until changed, and a bad value is refused whole', async (ctx) => {
      const storage = await emptyStorage(ctx)
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
        const storage = await emptyStorage(ctx)
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
