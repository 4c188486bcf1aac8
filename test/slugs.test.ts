/**
 * Slugs in every script lead somewhere: sections, tags and authors named in Japanese (kana with
 * dakuten, the long-vowel mark), Hawaiian (ʻokina), Korean, Arabic, Devanagari, Thai, emoji and
 * mixes; every link the site prints for them (article pages, term and author pages, their feeds,
 * the sitemaps) answers, and an address typed in NFD finds the same page.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import * as slugNormalisation from '../src/storage/migrations/2026-12-02-020b-slug-normalisation.ts'
import { slugify, isValidSlug } from '../src/text/slug.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const TERMS = [
  'ニュース',
  'ピカチュウ',
  'Hawaiʻi',
  'Naʼvi',
  'ˈStress',
  '서울 뉴스',
  'الأخبار العاجلة',
  'مُحَمَّد',
  'हिन्दी समाचार',
  'क़िला',
  'ไทย ๆ ข่าว',
  '🔥',
  '❤️ Love',
  '🇯🇵 Japan',
  'Café Zürich',
  'Mixed 日本 and English',
  'ニュース速報'.repeat(14),
]
const AUTHORS = ['ʻIolani Kealoha', 'ピーター・パン', '김민준', 'محمد الأحمد', 'अनन्या शर्मा', '🦊 Fox']
const BASE = 'http://news.test'

/** Every same-site address in a page or feed: hrefs, feed links and JSON Feed URLs, as paths. */
function linksIn(body: string): string[] {
  const found = new Set<string>()
  const candidates = [...body.matchAll(/(?:href|src)="([^"]+)"/g), ...body.matchAll(/<(?:link|loc|id)>([^<]+)</g), ...body.matchAll(/"(?:url|home_page_url|feed_url)":\s*"([^"]+)"/g)]
  for (const m of candidates) {
    const raw = m[1]!.replaceAll('&amp;', '&')
    const path = raw.startsWith(BASE) ? raw.slice(BASE.length) : raw.startsWith('/') && !raw.startsWith('//') ? raw : undefined
    if (path !== undefined) found.add(path.split('#')[0]!)
  }
  return [...found]
}

/** The addresses this test follows: archives, their feeds, article permalinks, sitemaps. */
const followedRe = /^\/(?:category|tag|author)\/|^\/\d{4}\/|^\/sitemap|^\/feed/

async function crawl(t: TestSite, start: string[]): Promise<Map<string, number>> {
  const statuses = new Map<string, number>()
  const queue = [...start]
  while (queue.length > 0 && statuses.size < 600) {
    const path = queue.shift()!
    if (statuses.has(path)) continue
    const res = await t.get(path)
    statuses.set(path, res.status)
    if (res.status !== 200) continue
    for (const link of linksIn(await res.text())) if (followedRe.test(link) && !statuses.has(link)) queue.push(link)
  }
  return statuses
}

test('slugs keep kana whole, drop modifier letters, are NFC and valid for every script', () => {
  assert.equal(slugify('ニュース'), 'ニュース')
  assert.equal(slugify('ピ'), 'ピ')
  assert.equal(slugify('ピ'.normalize('NFD')), 'ピ')
  assert.equal(slugify('Hawaiʻi'), 'hawaii')
  assert.equal(slugify('서울 뉴스'), '서울-뉴스')
  assert.equal(slugify('Café'), 'cafe')
  assert.equal(slugify('❤️ Love'), slugify('❤ Love'))
  const long = slugify('🦊'.repeat(100))
  assert.ok(long.length <= 80 && !/[\ud800-\udbff]$/.test(long), 'a long slug is cut between characters, never inside one')
  for (const name of [...TERMS, ...AUTHORS]) {
    const slug = slugify(name)
    assert.ok(slug.length > 0 && isValidSlug(slug), `${name} gives the usable slug ${JSON.stringify(slug)}`)
    assert.equal(slug, slug.normalize('NFC'))
  }
  assert.equal(isValidSlug('hawaiʻi'), false)
  assert.equal(isValidSlug('ピ'.normalize('NFD')), false, 'a slug in NFD is not how slugs are stored')
  for (const unreachable of ['foo-', 'a--b', 'a-\u093fb', 'Upper', '-lead']) assert.equal(isValidSlug(unreachable), false, unreachable)
})

for (const dialect of DIALECTS) {
  test(`every link the site prints for terms and authors in many scripts answers 200, and NFD addresses find the same page (${dialect})`, async (ctx) => {
    const t = await testSite(ctx, { dialect })
    const published: { title: string; path: string }[] = []
    for (const [i, name] of TERMS.entries()) {
      const { article } = await t.publish({
        title: `${name} story ${i}`,
        publishedAt: new Date(t.now.getTime() - (i + 1) * 3600_000),
        categories: [name],
        tags: [name, TERMS[(i + 1) % TERMS.length]!],
        authors: [AUTHORS[i % AUTHORS.length]!],
      })
      published.push({ title: article.title, path: t.pathOf(article) })
    }

    const first = await crawl(t, [...published.map((p) => p.path), '/sitemap.xml', '/feed/'])
    // Each archive's feeds (RSS, Atom, JSON Feed) live under it; what they link to is followed too.
    const archivePages = [...first.keys()].filter((p) => /^\/(?:category|tag|author)\/[^/]+\/$/.test(p))
    const feeds = archivePages.flatMap((p) => [`${p}feed/`, `${p}feed/atom/`, `${p}feed/json/`])
    const statuses = new Map([...first, ...(await crawl(t, feeds))])
    // A section menu of categories in other scripts links to them as well.
    await t.settings({ sections: [slugify('ニュース'), slugify('서울 뉴스'), slugify('🔥')] })
    const menu = linksIn(await (await t.get('/')).text()).filter((p) => p.startsWith('/category/'))
    assert.deepEqual(menu.slice(0, 3).map(decodeURIComponent), ['/category/ニュース/', '/category/서울-뉴스/', '/category/🔥/'])
    for (const p of menu) assert.equal((await t.get(p)).status, 200, decodeURIComponent(p))
    const archives = [...statuses.keys()].filter((p) => /^\/(?:category|tag|author)\//.test(p))
    const notFound = [...statuses].filter(([, status]) => status !== 200).map(([path, status]) => `${status} ${decodeURIComponent(path)}`)
    assert.deepEqual(notFound, [], 'every printed link answers')
    ctx.diagnostic(`${statuses.size} printed addresses fetched, ${archives.length} of them archives and their feeds`)
    for (const kind of ['category', 'tag', 'author']) {
      const pages = archives.filter((p) => p.startsWith(`/${kind}/`) && !p.includes('/feed/'))
      const expected = kind === 'author' ? AUTHORS.length : TERMS.length
      assert.equal(pages.length, expected, `${kind} pages reached: ${pages.map(decodeURIComponent).join(' ')}`)
      assert.equal(archives.filter((p) => p.startsWith(`/${kind}/`) && p.includes('/feed/')).length, expected * 3, `${kind} feeds answer`)
    }

    // The same pages, typed in NFD (as macOS, some keyboards and pasted text send them).
    for (const name of TERMS) {
      const nfd = encodeURIComponent(slugify(name).normalize('NFD'))
      const page = await t.get(`/tag/${nfd}/`)
      assert.equal(page.status, 200, `/tag/${slugify(name).normalize('NFD')}/`)
      assert.match(await page.text(), new RegExp(`<h1[^>]*>[^<]*${escapeRe(escapeHtml(name))}`), `the NFD address of ${name} shows its page`)
      assert.equal((await t.get(`/tag/${nfd}/feed/`)).status, 200)
    }
    for (const name of AUTHORS) assert.equal((await t.get(`/author/${encodeURIComponent(slugify(name).normalize('NFD'))}/`)).status, 200, name)
    for (const p of published) {
      const nfd = encodeURI(decodeURIComponent(p.path).normalize('NFD'))
      const moved = await t.get(nfd)
      if (nfd !== p.path) {
        assert.equal(moved.status, 301, `${decodeURIComponent(p.path)} typed in NFD`)
        assert.equal(moved.headers.get('location'), p.path)
      }
      const page = await t.get(p.path)
      assert.match(await page.text(), new RegExp(escapeRe(escapeHtml(p.title))))
    }
    const api = await t.get(`/api/v1/articles/${encodeURIComponent(slugify(published[1]!.title).normalize('NFD'))}`)
    assert.equal(api.status, 200, 'the content API finds an article by its slug in NFD')
  })
}

for (const dialect of DIALECTS) {
  test(`migration 020b re-normalises slugs stored in the old forms; old addresses still lead to their pages (${dialect})`, async (ctx) => {
    const t = await testSite(ctx, { dialect })
    const day = new Date(t.now.getTime() - 3600_000)
    const { article } = await t.publish({ title: '서울 소식', publishedAt: day, tags: ['Hawaiʻi', '서울', 'Hawaii clash'], authors: ['ʻIolani Kealoha'] })
    // As the site stored them before: NFKD (loose jamo), modifier letters kept.
    const db = t.site.db
    const oldArticleSlug = '서울-소식'.normalize('NFKD')
    await db.updateTable('terms').set({ slug: 'hawaiʻi-old' }).where('slug', '=', 'hawaii').where('name', '=', 'Hawaiʻi').execute()
    await t.publish({ title: 'Plain story', publishedAt: day, tags: ['Hawaii'] })
    await db.updateTable('terms').set({ slug: 'hawaiʻi' }).where('name', '=', 'Hawaii clash').execute()
    await db.updateTable('terms').set({ slug: '서울'.normalize('NFKD') }).where('slug', '=', '서울').execute()
    await db.updateTable('users').set({ slug: 'ʻiolani-kealoha' }).where('slug', '=', 'iolani-kealoha').execute()
    await db.updateTable('articles').set({ slug: oldArticleSlug }).where('id', '=', article.id).execute()
    await db.insertInto('article_slugs').values({ slug: oldArticleSlug, article_id: article.id }).execute()

    await slugNormalisation.up(db)

    const slugs = (await db.selectFrom('terms').select(['name', 'slug']).orderBy('name').execute()).map((r) => `${r.name}=${r.slug}`)
    assert.deepEqual(slugs, ['Hawaii=hawaii', 'Hawaii clash=hawaii-2', 'Hawaiʻi=hawaii-old', '서울=서울'], 'each broken slug re-normalised, a clash numbered')
    assert.equal((await db.selectFrom('users').select('slug').where('display_name', '=', 'ʻIolani Kealoha').executeTakeFirstOrThrow()).slug, 'iolani-kealoha')
    const stored = await db.selectFrom('articles').select('slug').where('id', '=', article.id).executeTakeFirstOrThrow()
    assert.equal(stored.slug, '서울-소식')

    const page = await t.get(t.pathOf({ ...article, slug: stored.slug }))
    assert.equal(page.status, 200)
    const statuses = await crawl(t, [t.pathOf({ ...article, slug: stored.slug })])
    assert.deepEqual([...statuses].filter(([, s]) => s !== 200), [], 'every link the page prints answers after the migration')
    // Links printed before the migration (the old forms) still lead to the same pages.
    const oldPermalink = t.pathOf({ ...article, slug: oldArticleSlug })
    const moved = await t.get(oldPermalink)
    assert.equal(moved.status, 301, 'the old permalink redirects')
    assert.equal(moved.headers.get('location'), t.pathOf({ ...article, slug: '서울-소식' }))
    assert.equal((await t.get(`/tag/${encodeURIComponent('서울'.normalize('NFKD'))}/`)).status, 200)
    assert.equal((await t.get(`/tag/${encodeURIComponent('hawaiʻi-old')}/`)).status, 200)
    assert.equal((await t.get(`/author/${encodeURIComponent('ʻiolani-kealoha')}/`)).status, 200)

    await slugNormalisation.up(db)
    assert.deepEqual((await db.selectFrom('terms').select(['name', 'slug']).orderBy('name').execute()).map((r) => `${r.name}=${r.slug}`), slugs, 'running it again changes nothing')
  })
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
