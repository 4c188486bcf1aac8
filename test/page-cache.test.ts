/**
 * The page cache over real HTTP on both engines: pages answered from memory until what they show
 * changes, validators and encodings, and the readers who must get a page of their own.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import { describe, test, type TestContext } from 'node:test'
import zlib from 'node:zlib'
import { sweepInvalidations } from '../src/page-cache/invalidation-store.ts'
import { followInvalidations } from '../src/page-cache/invalidations.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const CACHE_ON = { BROADSHEET_PAGE_CACHE_MB: '16' }

/** A GET without any decoding: the bytes and headers as they came. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      .on('error', reject)
  })
}

async function page(t: TestSite, path: string, headers: Record<string, string> = {}) {
  const response = await t.get(path, { headers })
  return { status: response.status, cache: response.headers.get('x-cache'), headers: response.headers, html: await response.text() }
}

/** Asks until `check` holds, for up to `ms` (a change made outside the server's requests reaches it through the database). */
async function eventually<T>(ms: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await read()
    if (check(value) || Date.now() > until) return value
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function cachingSite(ctx: TestContext, dialect: (typeof DIALECTS)[number]) {
  return testSite(ctx, { dialect, env: CACHE_ON })
}

for (const dialect of DIALECTS) {
  describe(`page cache (${dialect})`, () => {
    test('an article page is made once, then answered from memory with the tags a CDN purges by', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Harbour wall repaired' })
      const first = await page(t, article.path)
      const second = await page(t, article.path)
      assert.equal(first.status, 200)
      assert.equal(first.cache, 'miss')
      assert.equal(second.cache, 'hit', 'the second reader is answered from the cache')
      assert.equal(second.html, first.html)
      assert.match(second.html, /Harbour wall repaired/)
      for (const answer of [first, second]) {
        assert.match(answer.headers.get('surrogate-key') ?? '', new RegExp(`(^| )article:${article.id}( |$)`))
        assert.match(answer.headers.get('cache-tag') ?? '', new RegExp(`(^|,)article:${article.id}(,|$)`))
        assert.match(answer.headers.get('cache-control') ?? '', /public.*stale-while-revalidate=\d+/)
        assert.ok(answer.headers.get('content-security-policy'), 'a page from the cache keeps the security headers')
      }
    })

    test('a comment approved by a moderator is on the very next request of the cached page', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Ferry fares to rise' })
      const posted = await t.comment(article, { author: 'Maud Quayside', content: 'The fares were fair before.' })
      assert.equal(posted.status, 'held')
      await page(t, article.path)
      const cached = await page(t, article.path)
      assert.equal(cached.cache, 'hit')
      assert.doesNotMatch(cached.html, /The fares were fair before/)

      const moderator = await t.factories.moderator()
      const queue = (await (await t.api('/api/v1/admin/comments?status=pending', { token: moderator.token })).json()) as { comments: { id: number }[] }
      const approved = await t.api(`/api/v1/admin/comments/${queue.comments[0]!.id}`, { method: 'PATCH', token: moderator.token, body: { status: 'approved' } })
      assert.equal(approved.status, 200)
      const after = await page(t, article.path)
      assert.equal(after.cache, 'miss', 'the approval dropped the cached page')
      assert.match(after.html, /The fares were fair before/)
      assert.equal((await page(t, article.path)).cache, 'hit')
    })

    test('a change made outside the server (another process, a command) reaches its cache through the database', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Lighthouse keeper retires' })
      await page(t, article.path)
      assert.equal((await page(t, article.path)).cache, 'hit')
      // Written straight through the services, as `broadsheet` commands and other processes do: no request of this server saw it.
      await t.factories.comment({ article, content: 'Forty years of lamps.', status: 'approved' })
      const after = await eventually(1000, () => page(t, article.path), (p) => p.html.includes('Forty years of lamps.'))
      assert.match(after.html, /Forty years of lamps\./, 'the cached page still lacks the approved comment a second later')
    })

    test('publishing a story updates the cached front page and its section and tag pages', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const editor = await t.factories.staff('editor')
      await t.factories.article({ title: 'Market hall reopens', categories: ['Local'], tags: ['Markets'] })
      for (const path of ['/', '/category/local/', '/tag/markets/', '/feed/']) {
        await page(t, path)
        assert.equal((await page(t, path)).cache, 'hit', `${path} is cached before the publish`)
      }
      const created = await t.api('/api/v1/admin/articles', {
        method: 'POST',
        token: editor.token,
        body: { title: 'Night buses return to the valley', body: 'From Friday.', categories: ['Local'], tags: ['Markets'], status: 'published' },
      })
      assert.equal(created.status, 201, await created.clone().text())
      for (const path of ['/', '/category/local/', '/tag/markets/', '/feed/']) {
        const after = await page(t, path)
        assert.match(after.html, /Night buses return to the valley/, `${path} does not show the story just published`)
      }
    })

    test('a scheduled story is on the cached front page from its time, before any process claims it', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      await t.factories.article({ title: 'Yesterday at the weir' })
      await t.factories.article({ title: 'Regatta results at noon', publishedAt: new Date(t.now.getTime() + 1000), status: 'published' })
      await page(t, '/')
      const before = await page(t, '/')
      assert.equal(before.cache, 'hit')
      assert.doesNotMatch(before.html, /Regatta results at noon/)
      await new Promise((r) => setTimeout(r, 1300))
      t.now = new Date(t.now.getTime() + 1300)
      const after = await page(t, '/')
      assert.match(after.html, /Regatta results at noon/, 'the front page from the cache still lacks the story whose time has come')
    })

    test('a settings change drops every cached page', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const admin = await t.factories.staff('administrator')
      const article = await t.factories.article({ title: 'Council tax frozen' })
      for (const path of ['/', article.path, '/feed/']) await page(t, path)
      const changed = await t.api('/api/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { title: 'The Riverside Gazette' } })
      assert.equal(changed.status, 200, await changed.clone().text())
      for (const path of ['/', article.path, '/feed/']) {
        const after = await page(t, path)
        assert.equal(after.cache, 'miss', `${path} was not dropped`)
        assert.match(after.html, /The Riverside Gazette/, `${path} still has the old site title`)
      }
    })

    test('a client that has the page is answered 304, by ETag or by date, from the cache', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Bridge survey published' })
      const first = await page(t, article.path)
      const etag = first.headers.get('etag')!
      const lastModified = first.headers.get('last-modified')!
      assert.ok(etag && lastModified, 'a cached page has both validators')
      const conditions: Record<string, string>[] = [{ 'if-none-match': etag }, { 'if-none-match': `"other", ${etag}` }, { 'if-modified-since': lastModified }]
      for (const headers of conditions) {
        const again = await rawGet(t.url + article.path, headers)
        assert.equal(again.status, 304, JSON.stringify(headers))
        assert.equal(again.body.length, 0)
        assert.equal(again.headers.etag, etag)
      }
      assert.equal((await rawGet(t.url + article.path, { 'if-none-match': 'W/"stale"' })).status, 200)
    })

    test('gzip and brotli bodies decode to the very page, and a client that takes neither gets it plain', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Orchard saved by volunteers' })
      const plain = await rawGet(t.url + article.path)
      assert.equal(plain.headers['content-encoding'], undefined)
      for (const round of ['miss', 'hit']) {
        const br = await rawGet(t.url + article.path, { 'accept-encoding': 'gzip, deflate, br' })
        const gz = await rawGet(t.url + article.path, { 'accept-encoding': 'gzip;q=1, br;q=0' })
        assert.equal(br.headers['content-encoding'], 'br', round)
        assert.equal(gz.headers['content-encoding'], 'gzip', round)
        assert.match(String(br.headers.vary), /accept-encoding/i)
        assert.ok(br.body.length < plain.body.length / 2, 'the brotli body is smaller')
        assert.deepEqual(zlib.brotliDecompressSync(br.body), plain.body)
        assert.deepEqual(zlib.gunzipSync(gz.body), plain.body)
      }
      const identity = await rawGet(t.url + article.path, { 'accept-encoding': 'identity' })
      assert.equal(identity.headers['content-encoding'], undefined)
      assert.deepEqual(identity.body, plain.body)
    })

    test('a commenter whose comment is held sees it, and no one else is given their page', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Allotment waiting list grows' })
      await page(t, article.path)
      const posted = await t.comment(article, { author: 'Ivy Plotholder', email: 'ivy@example.org', content: 'Seven years on the list.', remember: 'yes' })
      assert.equal(posted.status, 'held')
      const cookie = (posted.response.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ')
      assert.match(cookie, /broadsheet_commenter=/)
      const target = new URL(posted.response.headers.get('location')!)
      const own = await page(t, target.pathname + target.search, { cookie })
      assert.notEqual(own.cache, 'hit')
      assert.match(own.html, /Seven years on the list\./, 'the poster does not see their held comment')
      assert.match(own.headers.get('cache-control') ?? '', /private|no-store/)
      // With the cookie and no notice: still their own page (their name in the form), never the shared one.
      const withCookie = await page(t, article.path, { cookie })
      assert.notEqual(withCookie.cache, 'hit')
      assert.match(withCookie.html, /Ivy Plotholder/)
      const anonymous = await page(t, article.path)
      assert.doesNotMatch(anonymous.html, /Seven years on the list|Ivy Plotholder/)
    })

    test('staff and requests with a query string are never answered from the cache', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const editor = await t.factories.staff('editor')
      const article = await t.factories.article({ title: 'School roof replaced' })
      await page(t, article.path)
      assert.equal((await page(t, article.path)).cache, 'hit')
      assert.equal((await page(t, article.path, { authorization: `Bearer ${editor.token}` })).cache, 'miss')
      assert.equal((await page(t, article.path, { cookie: 'broadsheet_session=abc' })).cache, 'miss')
      assert.equal((await page(t, `${article.path}?replytocom=1`)).cache, 'miss')
      assert.equal((await page(t, `${article.path}?replytocom=1`)).cache, 'miss')
    })

    test('old invalidations are swept, and a process that missed swept ones drops everything', async (ctx) => {
      const t = await cachingSite(ctx, dialect)
      const article = await t.factories.article({ title: 'Weir gates tested' })
      const heard: string[][] = []
      // Only asked, never told (no LISTEN, no polling): the test decides when it reads.
      const deaf = { db: t.site.db, watchInvalidations: () => async () => {} }
      const follower = await followInvalidations(deaf, (tags) => heard.push([...tags]), (e) => assert.fail(String(e)), { gapCheckMs: 0 })
      ctx.after(() => follower.stop())
      await t.factories.comment({ article, status: 'approved' })
      await follower.catchUp()
      assert.deepEqual(heard.pop()?.sort(), [`article:${article.id}`, 'feeds'], 'an approved comment touches its article and the feeds')

      // Rows an hour old go; this process's follower had read them all, so nothing is lost.
      await t.site.db.updateTable('invalidations').set({ recorded_at: new Date(Date.now() - 7200_000).toISOString() }).execute()
      assert.ok((await sweepInvalidations(t.site.db, new Date(Date.now() - 3600_000))) > 0)
      assert.equal((await t.site.db.selectFrom('invalidations').select('seq').execute()).length, 0)

      // Two changes it has not read yet are swept before it reads them: it cannot know what they touched.
      await t.factories.comment({ article, status: 'approved' })
      await t.factories.comment({ article, status: 'approved' })
      const newest = Number((await t.site.db.selectFrom('invalidations').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirstOrThrow()).n)
      await t.site.db.deleteFrom('invalidations').where('seq', '<', newest).execute()
      await follower.catchUp()
      assert.ok(heard.some((tags) => tags.includes('all')), `a follower that missed swept rows must drop everything; heard ${JSON.stringify(heard)}`)
    })
  })
}
