import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'
import { postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const DAY = 86_400_000
const sitemapXsd = path.resolve(import.meta.dirname, '../node_modules/sitemap/schema/sitemap.xsd')

async function newsroom(ctx: { after(fn: () => Promise<void>): void }, dialect: (typeof DIALECTS)[number], env: Record<string, string> = {}) {
  const t = await testSite({ dialect, env })
  ctx.after(() => t.close())
  const ago = (days: number) => new Date(t.now.getTime() - days * DAY)
  const older = (await t.publish({ title: 'Council approves flood wall', publishedAt: ago(5), categories: ['Local'], tags: ['Flooding'], authors: ['Tom Reyes'] })).article
  const newer = (
    await t.publish({
      title: 'Inmates sent to the front',
      standfirst: 'Promises of freedom are made in cramped cells.',
      body: 'The regular army is stretched thin.',
      publishedAt: ago(1),
      categories: ['World'],
      authors: ['Ann Desk'],
      credits: [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }],
    })
  ).article
  await t.publish({ title: 'Unfinished draft', status: 'draft' })
  await t.publish({ title: 'Embargoed story', publishedAt: new Date(t.now.getTime() + DAY) })
  return { t, older, newer }
}

const text = async (t: TestSite, p: string, init?: RequestInit) => {
  const res = await t.get(p, init)
  assert.equal(res.status, 200, `${p} answers ${res.status}`)
  return res.text()
}

function validAgainstSitemapXsd(xml: string): string | undefined {
  const run = spawnSync('xmllint', ['--noout', '--schema', sitemapXsd, '-'], { input: xml, encoding: 'utf8' })
  if (run.error) return `xmllint is not installed (${run.error.message}): apt-get install libxml2-utils`
  return run.status === 0 ? undefined : run.stderr
}

for (const dialect of DIALECTS) {
  test(`on ${dialect}, RSS, Atom and JSON Feed list the published stories, newest first, with dates, credits and the rights notice`, async (ctx) => {
    const { t, older, newer } = await newsroom(ctx, dialect)
    const rss = parseRssFeed(await text(t, '/feed/'))
    assert.deepEqual(rss.items?.map((i) => i.title), ['Inmates sent to the front', 'Council approves flood wall'], 'no draft, no embargoed story')
    assert.equal(rss.items?.[0]?.link, `http://news.test${t.pathOf(newer)}`)
    assert.equal(rss.items?.[0]?.pubDate, newer.publishedAt!.toUTCString())
    assert.match(rss.copyright ?? '', /^© \d{4} The Broadsheet newsroom\. Excerpts and links may be used/)
    assert.match(rss.items?.[0]?.content?.encoded ?? '', /Original reporting: <a href="https:\/\/edition\.cnn\.com\/">CNN<\/a>/)
    assert.match(rss.items?.[0]?.content?.encoded ?? '', /The regular army is stretched thin\./)

    const atomXml = await text(t, '/feed/atom/')
    assert.match(atomXml, /<link rel="self" href="http:\/\/news\.test\/feed\/atom\/"/)
    const atom = parseAtomFeed(atomXml)
    assert.equal(atom.entries?.length, 2)
    assert.equal(new Date(atom.entries![1]!.published!).getTime(), older.publishedAt!.getTime())
    assert.match(atom.rights?.value ?? '', /The Broadsheet newsroom/)
    assert.equal(atom.entries?.[0]?.authors?.[0]?.name, 'Ann Desk')

    const raw = JSON.parse(await text(t, '/feed.json'))
    assert.equal(raw.version, 'https://jsonfeed.org/version/1.1')
    const json = parseJsonFeed(raw)
    assert.deepEqual(json.items?.map((i) => i.title), ['Inmates sent to the front', 'Council approves flood wall'])
    assert.equal(json.items?.[0]?.date_published, newer.publishedAt!.toISOString())
    assert.equal(json.feed_url, 'http://news.test/feed.json')
  })

  test(`on ${dialect}, an update moves the entry's updated date; the excerpt setting leaves the body out`, async (ctx) => {
    const { t, newer } = await newsroom(ctx, dialect)
    t.now = new Date(t.now.getTime() + 3600_000)
    await t.publish({ title: newer.title, slug: newer.slug, standfirst: newer.standfirst, publishedAt: newer.publishedAt!, body: 'Corrected: the army is stretched very thin.' })
    const atom = parseAtomFeed(await text(t, '/feed/atom/'))
    const entry = atom.entries!.find((e) => e.title?.value === newer.title)!
    assert.ok(new Date(entry.updated!).getTime() > newer.updatedAt.getTime(), 'updated moved on')
    assert.equal(new Date(entry.published!).getTime(), newer.publishedAt!.getTime(), 'published stays')
    assert.match(entry.content?.value ?? '', /Corrected/)

    await t.settings({ feedContent: 'excerpt' })
    const rss = parseRssFeed(await text(t, '/feed/'))
    assert.equal(rss.items?.[0]?.description, 'Promises of freedom are made in cramped cells.')
    assert.equal(rss.items?.[0]?.content?.encoded, undefined, 'no full text in an excerpt feed')
  })

  test(`on ${dialect}, category, tag and author feeds carry only their own stories`, async (ctx) => {
    const { t } = await newsroom(ctx, dialect)
    const titles = async (p: string) => parseRssFeed(await text(t, p)).items?.map((i) => i.title)
    assert.deepEqual(await titles('/category/local/feed/'), ['Council approves flood wall'])
    assert.deepEqual(await titles('/tag/flooding/feed/'), ['Council approves flood wall'])
    assert.deepEqual(await titles('/author/ann-desk/feed/'), ['Inmates sent to the front'])
    assert.deepEqual(parseAtomFeed(await text(t, '/category/world/feed/atom/')).entries?.map((e) => e.title?.value), ['Inmates sent to the front'])
    assert.equal((await t.get('/category/no-such-section/feed/')).status, 404)
  })

  test(`on ${dialect}, comment feeds carry approved comments only, never held ones`, async (ctx) => {
    const { t, newer } = await newsroom(ctx, dialect)
    const editor = await t.staffToken('editor')
    await postForm(t, t.pathOf(newer), { author: 'Ann Reader', email: 'ann@example.org', content: 'The families deserve answers.' })
    await postForm(t, t.pathOf(newer), { author: 'Held Reader', email: 'held@example.org', content: 'This one waits for a moderator.' })
    const queue = (await (await t.get('/api/v1/admin/comments?status=pending', { headers: { authorization: `Bearer ${editor}` } })).json()) as { comments: { id: number; author: string }[] }
    const ann = queue.comments.find((c) => c.author === 'Ann Reader')!
    await t.get(`/api/v1/admin/comments/${ann.id}`, { method: 'PATCH', body: '{"status":"approved"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` } })

    const site = parseRssFeed(await text(t, '/comments/feed/'))
    assert.deepEqual(site.items?.map((i) => i.title), ['Ann Reader on “Inmates sent to the front”'])
    assert.equal(site.items?.[0]?.link, `http://news.test${t.pathOf(newer)}#comment-${ann.id}`)
    const own = parseAtomFeed(await text(t, `${t.pathOf(newer)}feed/atom/`))
    assert.equal(own.entries?.length, 1)
    assert.match(own.entries?.[0]?.content?.value ?? '', /The families deserve answers/)
    const json = JSON.parse(await text(t, `${t.pathOf(newer)}feed/json/`))
    assert.equal(json.items.length, 1)
    assert.doesNotMatch(await text(t, `${t.pathOf(newer)}feed/`), /waits for a moderator|held@example/)
  })

  test(`on ${dialect}, feeds and sitemaps answer 304 to a reader that has them already`, async (ctx) => {
    const { t } = await newsroom(ctx, dialect)
    for (const p of ['/feed/', '/feed.json', '/sitemap.xml', '/sitemap-articles-1.xml']) {
      const first = await t.get(p)
      const etag = first.headers.get('etag')
      const lastModified = first.headers.get('last-modified')
      assert.ok(etag && lastModified, `${p} has an ETag and Last-Modified`)
      assert.equal((await t.get(p, { headers: { 'if-none-match': etag } })).status, 304, `${p} with If-None-Match`)
      assert.equal((await t.get(p, { headers: { 'if-modified-since': lastModified } })).status, 304, `${p} with If-Modified-Since`)
      assert.equal((await t.get(p, { headers: { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() } })).status, 200)
    }
  })

  test(`on ${dialect}, the sitemaps list every published story and archive, valid against the sitemap schema`, async (ctx) => {
    const { t, older, newer } = await newsroom(ctx, dialect)
    const index = await text(t, '/sitemap.xml')
    const listed = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])
    assert.deepEqual(listed, ['http://news.test/sitemap-articles-1.xml', 'http://news.test/sitemap-categories.xml', 'http://news.test/sitemap-tags.xml', 'http://news.test/sitemap-authors.xml'])
    const articles = await text(t, '/sitemap-articles-1.xml')
    const problem = validAgainstSitemapXsd(articles)
    if (problem?.startsWith('xmllint is not installed') && !process.env.CI) return ctx.skip(problem)
    assert.equal(problem, undefined, problem)
    assert.deepEqual([...articles.matchAll(/<loc>([^<]+)<\/loc><lastmod>([^<]+)<\/lastmod>/g)].map((m) => [m[1], m[2]]), [
      [`http://news.test${t.pathOf(older)}`, older.updatedAt.toISOString()],
      [`http://news.test${t.pathOf(newer)}`, newer.updatedAt.toISOString()],
    ])
    for (const [p, locs] of [
      ['/sitemap-categories.xml', ['http://news.test/category/local/', 'http://news.test/category/world/']],
      ['/sitemap-tags.xml', ['http://news.test/tag/flooding/']],
      ['/sitemap-authors.xml', ['http://news.test/author/ann-desk/', 'http://news.test/author/tom-reyes/']],
    ] as const) {
      const xml = await text(t, p)
      assert.equal(validAgainstSitemapXsd(xml), undefined, p)
      assert.deepEqual([...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]), locs)
    }
    assert.equal((await t.get('/sitemap-articles-2.xml')).status, 404)
    const wp = await t.get('/wp-sitemap.xml')
    assert.equal(wp.status, 301)
    assert.equal(wp.headers.get('location'), '/sitemap.xml')
    const robots = await text(t, '/robots.txt')
    assert.match(robots, /^Sitemap: http:\/\/news\.test\/sitemap\.xml$/m)
    assert.match(robots, /^Sitemap: http:\/\/news\.test\/news-sitemap\.xml$/m)
    assert.match(robots, /^Disallow: \/api\/v1\/admin\/$/m)
  })

  test(`on ${dialect}, under a permalink structure that names the section and the author, the sitemaps link to the pages readers reach`, async (ctx) => {
    const { t, older, newer } = await newsroom(ctx, dialect)
    await t.settings({ permalinkStructure: '/%category%/%author%/%postname%/' })
    const articles = await text(t, '/sitemap-articles-1.xml')
    assert.deepEqual([...articles.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]), [
      `http://news.test/local/tom-reyes/${older.slug}/`,
      `http://news.test/world/ann-desk/${newer.slug}/`,
    ])
    assert.match(await text(t, '/news-sitemap.xml'), new RegExp(`<loc>http://news\\.test/world/ann-desk/${newer.slug}/</loc>`))
    const page = await t.get(`/world/ann-desk/${newer.slug}/`)
    assert.equal(page.status, 200, 'the address in the sitemap is the article')
  })

  test(`on ${dialect}, the Google News sitemap has the last two days' stories with publication, language and title`, async (ctx) => {
    const { t, newer } = await newsroom(ctx, dialect)
    await t.settings({ title: 'The Riverside Gazette', language: 'en-GB' })
    const xml = await text(t, '/news-sitemap.xml')
    const urls = [...xml.matchAll(/<url>(.*?)<\/url>/g)].map((m) => m[1]!)
    assert.equal(urls.length, 1, 'only the story of the last 48 hours (not the 5-day-old one, the draft or the embargoed one)')
    assert.match(urls[0]!, new RegExp(`<loc>http://news\\.test${t.pathOf(newer)}</loc>`))
    assert.match(urls[0]!, /<news:publication><news:name>The Riverside Gazette<\/news:name><news:language>en<\/news:language><\/news:publication>/)
    assert.match(urls[0]!, new RegExp(`<news:publication_date>${newer.publishedAt!.toISOString()}</news:publication_date>`))
    assert.match(urls[0]!, /<news:title>Inmates sent to the front<\/news:title>/)
    assert.match(xml, /xmlns:news="http:\/\/www\.google\.com\/schemas\/sitemap-news\/0\.9"/)
  })
}

test('titles with markup and ampersands are escaped in every feed and sitemap', async (ctx) => {
  const t = await testSite()
  ctx.after(() => t.close())
  const { article } = await t.publish({ title: 'Q&A: <b>who</b> pays "the" bill?', publishedAt: new Date(t.now.getTime() - 3600_000) })
  const rss = parseRssFeed(await text(t, '/feed/'))
  assert.equal(rss.items?.[0]?.title, 'Q&A: <b>who</b> pays "the" bill?')
  assert.equal(parseAtomFeed(await text(t, '/feed/atom/')).entries?.[0]?.title?.value, 'Q&A: <b>who</b> pays "the" bill?')
  const news = await text(t, '/news-sitemap.xml')
  assert.match(news, /<news:title>Q&amp;A: &lt;b&gt;who&lt;\/b&gt; pays &quot;the&quot; bill\?<\/news:title>/)
  assert.ok(news.includes(t.pathOf(article)))
})
