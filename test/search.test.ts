import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import * as migration019 from '../src/storage/migrations/2026-12-02-019-search-and-sitemap-reads.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const DAY = 86_400_000

async function archive(ctx: { after(fn: () => Promise<void>): void }, dialect: (typeof DIALECTS)[number]) {
  const t = await testSite({ dialect })
  ctx.after(() => t.close())
  const ago = (days: number) => new Date(t.now.getTime() - days * DAY)
  const inBody = (await t.publish({ title: 'Council meets on Tuesday', body: 'Members will also discuss the flood barrier budget.', publishedAt: ago(3) })).article
  const inTitle = (await t.publish({ title: 'Flood barrier holds as the river peaks', standfirst: 'Water stopped 40 centimetres below its top.', body: 'The quay stayed dry.', publishedAt: ago(2) })).article
  await t.publish({ title: 'Unrelated story about libraries', body: 'Opening hours change in spring.', publishedAt: ago(1) })
  await t.publish({ title: 'Flood barrier draft', body: 'Not ready.', status: 'draft' })
  await t.publish({ title: 'Flood barrier embargoed', body: 'Tomorrow.', publishedAt: new Date(t.now.getTime() + DAY) })
  return { t, inBody, inTitle }
}

/** The result titles of a search page, in order. */
async function results(t: TestSite, path: string): Promise<string[]> {
  const res = await t.get(path)
  assert.equal(res.status, 200, `${path} answers ${res.status}`)
  const page = await res.text()
  return [...page.matchAll(/<h2><a href="[^"]*">([^<]*)<\/a><\/h2>\n<p class="snippet">/g)].map((m) => m[1]!)
}

/**
 * 340 stories that all mention the lighthouse, on the same day, ids 10,000 to 11,695 (an imported
 * archive's are far apart): more than one ranked window. Two have it in their headline, the 6th
 * oldest and the 301st; the others differ only by their ids.
 */
async function lighthouseArchive(t: TestSite): Promise<void> {
  const publishedAt = new Date(t.now.getTime() - DAY)
  await t.factories.archive(
    Array.from({ length: 340 }, (_, i) => ({
      id: 10_000 + i * 5,
      title: i === 5 || i === 300 ? `Lighthouse keeper ${i} retires` : `Coast report ${i}`,
      body: 'The lighthouse on the point was repainted this week.',
      publishedAt,
    })),
  )
}

/** Every result title of a search, page after page, until the pager has no next page. */
async function allResults(t: TestSite, query: string): Promise<string[]> {
  const titles: string[] = []
  for (let page = 1; ; page++) {
    const path = `/search?q=${query}${page > 1 ? `&page=${page}` : ''}`
    titles.push(...(await results(t, path)))
    if (!(await (await t.get(path)).text()).includes('rel="next"')) return titles
  }
}

for (const dialect of DIALECTS) {
  test(`on ${dialect}, search finds published stories only, a headline match first, with the words marked`, async (ctx) => {
    const { t } = await archive(ctx, dialect)
    assert.deepEqual(await results(t, '/search?q=flood+barrier'), ['Flood barrier holds as the river peaks', 'Council meets on Tuesday'])
    const page = await (await t.get('/search?q=budget')).text()
    assert.match(page, /1 story matches\./)
    assert.match(page, /<mark>budget<\/mark>/)
    assert.deepEqual(await results(t, '/?s=flood+barrier'), ['Flood barrier holds as the river peaks', 'Council meets on Tuesday'], "WordPress's /?s= searches too")
    assert.deepEqual(await results(t, '/search?q=flooding+barriers'), ['Flood barrier holds as the river peaks', 'Council meets on Tuesday'], 'words are matched by their stem')
    assert.deepEqual(await results(t, '/search?q=nothing+like+this'), [])
    assert.match(await (await t.get('/search?q=nothing+like+this')).text(), /No stories match\./)
  })

  test(`on ${dialect}, the index follows every save: new words are found and old ones are not`, async (ctx) => {
    const { t, inBody } = await archive(ctx, dialect)
    await t.publish({ title: inBody.title, slug: inBody.slug, publishedAt: inBody.publishedAt!, body: 'Members will discuss the harbour dredging contract.' })
    assert.deepEqual(await results(t, '/search?q=dredging'), ['Council meets on Tuesday'])
    assert.deepEqual(await results(t, '/search?q=budget'), [], 'the words of the old version are gone')
    await t.publish({ title: inBody.title, slug: inBody.slug, body: 'Unpublished for now.', status: 'draft' })
    assert.deepEqual(await results(t, '/search?q=council'), [], 'a story taken back to draft is not found')
  })

  test(`on ${dialect}, any query is safe: full-text syntax and odd characters give results or none, never an error`, async (ctx) => {
    const { t } = await archive(ctx, dialect)
    for (const q of ['"', '""', '*', 'flood*', 'AND', 'OR NOT', 'NEAR(flood barrier)', 'flood -barrier', 'title:flood', '^flood', "O'Brien", '(((', '\\', '😀 flood', 'x'.repeat(500), '\u0000flood', '&amp;', '<script>alert(1)</script>']) {
      const res = await t.get(`/search?q=${encodeURIComponent(q)}`)
      assert.equal(res.status, 200, `${JSON.stringify(q)} answered ${res.status}`)
    }
    const hostile = await (await t.get(`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`)).text()
    assert.doesNotMatch(hostile, /<script>alert/, 'the query is shown escaped')
    assert.match(hostile, /Search results for “&lt;script&gt;alert\(1\)&lt;\/script&gt;”/)
    assert.equal((await t.get('/search?q=flood&page=abc')).status, 400)
    assert.equal((await t.get('/search?q=flood&page=9')).status, 404)
  })

  test(`on ${dialect}, results come a page at a time`, async (ctx) => {
    const t = await testSite({ dialect })
    ctx.after(() => t.close())
    await t.settings({ postsPerPage: 2 })
    for (let i = 1; i <= 5; i++) await t.publish({ title: `Harbour story ${i}`, publishedAt: new Date(t.now.getTime() - i * DAY) })
    const first = await (await t.get('/search?q=harbour')).text()
    assert.match(first, /5 stories match\./)
    assert.match(first, /<a href="\/search\?q=harbour&amp;page=2" rel="next">/)
    const all = [...(await results(t, '/search?q=harbour')), ...(await results(t, '/search?q=harbour&page=2')), ...(await results(t, '/search?q=harbour&page=3'))]
    assert.deepEqual(all.sort(), ['Harbour story 1', 'Harbour story 2', 'Harbour story 3', 'Harbour story 4', 'Harbour story 5'])
  })
}

for (const dialect of DIALECTS) {
  test(`on ${dialect}, a word in more stories than are ranked: the newest 300, a headline match first, pages that add up`, async (ctx) => {
    const t = await testSite({ dialect })
    ctx.after(() => t.close())
    await t.settings({ postsPerPage: 50 })
    await lighthouseArchive(t)
    assert.match(await (await t.get('/search?q=lighthouse')).text(), /More than 300 stories match; the newest 300 are shown, best matches first\./)
    const all = await allResults(t, 'lighthouse')
    assert.equal(all.length, 300, 'six pages of 50')
    assert.equal(new Set(all).size, 300, 'no story shows on two pages')
    assert.equal(all[0], 'Lighthouse keeper 300 retires', 'the headline match among the newest comes first')
    assert.ok(!all.includes('Lighthouse keeper 5 retires'), 'a story older than the newest 300 matches is not ranked')
    assert.deepEqual(all.slice(1, 4), ['Coast report 339', 'Coast report 338', 'Coast report 337'], 'equal matches: the newest first')
    assert.equal((await t.get('/search?q=lighthouse&page=7')).status, 404)
  })

  test(`on ${dialect}, a story far back in a large archive is found by a word only it has`, async (ctx) => {
    const t = await testSite({ dialect })
    ctx.after(() => t.close())
    const ago = (days: number) => new Date(t.now.getTime() - days * DAY)
    await t.factories.archive([
      { id: 7, title: 'Airship over the valley', body: 'A zeppelin was seen above the mill in 1931.', publishedAt: ago(9000) },
      ...Array.from({ length: 40 }, (_, i) => ({ id: 30_000 + i * 800, title: `Market day ${i}`, body: 'Stalls filled the valley square.', publishedAt: ago(40 - i) })),
    ])
    assert.deepEqual(await results(t, '/search?q=zeppelin'), ['Airship over the valley'])
    assert.match(await (await t.get('/search?q=zeppelin')).text(), /1 story matches\./)
    const valley = await allResults(t, 'valley')
    assert.equal(valley.length, 41, 'a word in old and new stories finds them all')
    assert.ok(valley.includes('Airship over the valley'))
  })

  test(`on ${dialect}, a word far down a long story is marked in its snippet`, async (ctx) => {
    const t = await testSite({ dialect })
    ctx.after(() => t.close())
    const filler = Array.from({ length: 120 }, (_, i) => `Paragraph ${i} says nothing of note about the town.`).join('\n\n')
    await t.publish({ title: 'A long week at the council', body: `${filler}\n\nAt the very end, the zeppelin landed.`, publishedAt: new Date(t.now.getTime() - DAY) })
    await t.publish({ title: 'Zeppelin museum opens', body: `${filler}`, publishedAt: new Date(t.now.getTime() - 2 * DAY) })
    const page = await (await t.get('/search?q=zeppelin')).text()
    assert.match(page, /the <mark>zeppelin<\/mark> landed/, 'the snippet shows the match at the end of the story')
    assert.deepEqual(await results(t, '/search?q=zeppelin'), ['Zeppelin museum opens', 'A long week at the council'])
  })
}

if (DIALECTS.includes('postgres')) {
  test('on postgres, the search entries that existed before migration 019 are found the same after it', async (ctx) => {
    const t = await testSite({ dialect: 'postgres' })
    ctx.after(() => t.close())
    await t.settings({ postsPerPage: 50 })
    await lighthouseArchive(t)
    await migration019.down(t.site.db)
    const before = await allResults(t, 'lighthouse')
    await migration019.up(t.site.db)
    assert.deepEqual(await allResults(t, 'lighthouse'), before)
    const entry = await sql<{ document: string }>`select document::text as document from article_search where article_id = 10005`.execute(t.site.db)
    assert.match(entry.rows[0]!.document, /'#10'/, 'the story carries its block of ids, so the newest blocks are searched first')
  })
}

test('every page has a search box that works without JavaScript, and the front page offers it to search engines', async (ctx) => {
  const t = await testSite()
  ctx.after(() => t.close())
  const { article } = await t.publish({ title: 'Somewhere to search from', publishedAt: new Date(t.now.getTime() - DAY) })
  for (const path of ['/', t.pathOf(article), '/privacy/', '/reuse/']) {
    const page = await (await t.get(path)).text()
    assert.match(page, /<form class="search" role="search" method="get" action="\/search"><label for="site-search">Search<\/label> <input id="site-search" type="search" name="q"/, path)
  }
  const front = await (await t.get('/')).text()
  const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(front)![1]!)
  assert.equal(ld['@type'], 'WebSite')
  assert.equal(ld.potentialAction.target.urlTemplate, 'http://news.test/search?q={search_term_string}')
})
