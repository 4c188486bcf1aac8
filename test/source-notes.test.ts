/**
 * Private source notes: readable by those allowed, and nowhere else — not on the page, in feeds,
 * the public API, search, sitemaps, the request log or the database (which holds only sealed
 * text). Without BROADSHEET_SECRET_KEY the feature says it is off.
 */
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, test } from 'node:test'
import { openNote, sealNote } from '../src/articles/source-notes.ts'
import { loadConfig } from '../src/config/config.ts'
import { buildServer } from '../src/web/server.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

const KEY_HEX = 'a3'.repeat(32)
const NOTE = 'Source is Quillon Varga, deputy harbourmaster, reachable on 07700 900123 after 6pm'
const NEEDLES = ['Quillon', 'Varga', '07700 900123']

function assertNoNeedle(where: string, text: string) {
  for (const needle of NEEDLES) assert.ok(!text.includes(needle), `the source's details (${needle}) leaked into ${where}`)
}

for (const dialect of DIALECTS) {
  describe(`private source notes on ${dialect}`, () => {
    test('the article’s author and an editor read the note; it is nowhere in pages, feeds, APIs, search, sitemaps, logs or the stored rows', async (ctx) => {
      const t = await testSite(ctx, { dialect, env: { BROADSHEET_SECRET_KEY: KEY_HEX } })
      const author = await t.factories.staff('author', { name: 'Ria Reporter' })
      const editor = await t.factories.staff('editor')
      const { article } = await t.publish({ title: 'Harbour fees to rise', body: 'Fees rise in spring, a harbour official said.', authors: [author.email], tags: ['Harbour'] })

      // A server that logs everything, to see what a request with the note in it leaves behind.
      const lines: string[] = []
      const logged = await buildServer(t.site, { logLevel: 'trace', logStream: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) })
      const loggedUrl = await logged.listen({ port: 0, host: '127.0.0.1' })
      ctx.after(() => logged.close())
      const added = await fetch(`${loggedUrl}/api/v1/admin/articles/${article.id}/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${author.token}` },
        body: JSON.stringify({ text: NOTE }),
      })
      assert.equal(added.status, 201, await added.clone().text())
      assert.equal(((await added.json()) as any).written_by.name, 'Ria Reporter')
      const listed = (await (await fetch(`${loggedUrl}/api/v1/admin/articles/${article.id}/notes`, { headers: { authorization: `Bearer ${editor.token}` } })).json()) as any
      assert.deepEqual(listed.notes.map((n: any) => n.text), [NOTE], 'an editor reads it')
      await logged.close()
      assert.ok(lines.length > 0, 'the server did log the requests')
      assertNoNeedle('the request log', lines.join(''))

      for (const path of [t.pathOf(article), '/', '/feed/', '/feed/atom/', '/feed.json', `${t.pathOf(article)}feed/`, '/tag/harbour/', '/api/v1/articles', `/api/v1/articles/${article.slug}`, '/sitemap.xml', '/sitemap-articles-1.xml', '/news-sitemap.xml', '/search?q=harbourmaster', '/corrections/']) {
        const res = await t.get(path)
        assert.ok(res.status < 400, `${path} answered ${res.status}`)
        assertNoNeedle(path, await res.text())
      }
      assert.doesNotMatch(await (await t.get('/search?q=Varga')).text(), /Harbour fees to rise/, 'search does not find the article by its source')
      assert.match(await (await t.get('/search?q=spring')).text(), /Harbour fees to rise/, 'while it does find it by its own words')
      const adminView = await (await t.api(`/api/v1/admin/articles/${article.id}`, { token: editor.token })).text()
      assertNoNeedle('the admin article view (notes leave only through /notes)', adminView)

      for (const table of await t.site.db.introspection.getTables()) {
        const rows = await t.site.db.selectFrom(table.name as any).selectAll().execute()
        assertNoNeedle(`the ${table.name} table`, JSON.stringify(rows))
      }
      if (dialect === 'sqlite') {
        const fs = await import('node:fs')
        for (const file of fs.readdirSync(t.dataDir).filter((f) => f.startsWith('broadsheet.db'))) assertNoNeedle(file, fs.readFileSync(`${t.dataDir}/${file}`).toString('latin1'))
      }
    })
  })
}

test('without BROADSHEET_SECRET_KEY the notes answer that the feature is off, and nothing is stored', async (ctx) => {
  const t = await testSite(ctx)
  const editor = await t.factories.staff('editor')
  const { article } = await t.publish({ title: 'Pier closes' })
  for (const res of [
    await t.api(`/api/v1/admin/articles/${article.id}/notes`, { token: editor.token }),
    await t.api(`/api/v1/admin/articles/${article.id}/notes`, { method: 'POST', token: editor.token, body: { text: NOTE } }),
  ]) {
    assert.equal(res.status, 503)
    assert.deepEqual(((await res.json()) as any).error, {
      code: 'notes_off',
      message: 'Private source notes are off on this site: an administrator must set BROADSHEET_SECRET_KEY (32 bytes, base64 or hex) to turn them on.',
    })
  }
  assert.deepEqual(await t.site.db.selectFrom('article_source_notes').selectAll().execute(), [])
})

test('BROADSHEET_SECRET_KEY must be 32 bytes in hex or base64; a bad one stops the start with one line that does not repeat it', () => {
  assert.equal(loadConfig({ BROADSHEET_SECRET_KEY: KEY_HEX }).secretKey?.length, 32)
  assert.equal(loadConfig({ BROADSHEET_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') }).secretKey?.length, 32)
  assert.equal(loadConfig({ BROADSHEET_SECRET_KEY: Buffer.alloc(32, 9).toString('base64url') }).secretKey?.length, 32)
  assert.equal(loadConfig({}).secretKey, undefined)
  for (const bad of ['hunter2-but-longer-secret', 'a3'.repeat(16), Buffer.alloc(16).toString('base64')]) {
    assert.throws(() => loadConfig({ BROADSHEET_SECRET_KEY: bad }), (e: Error) => {
      assert.match(e.message, /^BROADSHEET_SECRET_KEY: must be 32 bytes written as 64 hex digits or in base64/)
      assert.ok(!e.message.includes(bad), 'the secret is not repeated in the error')
      return true
    })
  }
})

test('a sealed note opens only for its own article and with its own key', () => {
  const key = Buffer.alloc(32, 1)
  const sealed = sealNote(key, 7, NOTE)
  assertNoNeedle('the sealed text', sealed)
  assert.notEqual(sealNote(key, 7, NOTE), sealed, 'each seal has a fresh IV')
  assert.equal(openNote(key, 7, sealed), NOTE)
  assert.throws(() => openNote(key, 8, sealed), { code: 'note_unreadable' })
  assert.throws(() => openNote(Buffer.alloc(32, 2), 7, sealed), { message: /cannot be opened with this BROADSHEET_SECRET_KEY/ })
})
