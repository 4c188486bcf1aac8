import assert from 'node:assert/strict'
import { test } from 'node:test'
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
