/**
 * Corrections as readers meet them: the box on the article, the article's modified date in its
 * page, JSON-LD and feeds, schema.org CorrectionComment, and the /corrections/ page.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testSite, type TestSite } from './support/test-site.ts'

const json = async (res: Response) => (await res.json()) as any

function newsArticle(page: string): Record<string, any> {
  const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)![1]!
  return JSON.parse(block)['@graph'].find((n: any) => n['@type'] === 'NewsArticle')
}

async function correct(t: TestSite, token: string, id: number, text: string) {
  return t.api(`/api/v1/admin/articles/${id}/corrections`, { method: 'POST', token, body: { text } })
}

test('a correction shows in a box on the article, dated, and moves its modified date in the page, JSON-LD and feeds', async (ctx) => {
  const t = await testSite(ctx)
  const editor = await t.factories.staff('editor')
  t.now = new Date('2026-11-30T08:00:00Z')
  const { article } = await t.publish({ title: 'Mayor opens new bridge', body: 'The bridge cost £4m.' })
  t.now = new Date('2026-12-01T15:30:00Z')
  const res = await correct(t, editor.token, article.id, 'An earlier version said the bridge cost **£40m**. It cost £4m. <script>alert(1)</script>')
  assert.equal(res.status, 201)
  const correction = await json(res)
  assert.equal(correction.published_at, '2026-12-01T15:30:00.000Z')
  assert.doesNotMatch(correction.html, /script/, 'the note is sanitized')

  const page = await (await t.get(t.pathOf(article))).text()
  const box = /<aside class="corrections"[\s\S]*?<\/aside>/.exec(page)?.[0]
  assert.ok(box, 'readers see a corrections box')
  assert.match(box, /<h2 id="corrections-title">Correction<\/h2>/)
  assert.match(box, /<time datetime="2026-12-01T15:30:00.000Z">/)
  assert.match(box, /An earlier version said the bridge cost <strong>£40m<\/strong>\. It cost £4m\./)
  assert.doesNotMatch(page, /alert\(1\)/)
  assert.match(page, /Updated <time datetime="2026-12-01T15:30:00.000Z">/)

  const ld = newsArticle(page)
  assert.equal(ld.dateModified, '2026-12-01T15:30:00.000Z')
  assert.deepEqual(ld.correction, [{ '@type': 'CorrectionComment', text: 'An earlier version said the bridge cost £40m. It cost £4m.', datePublished: '2026-12-01T15:30:00.000Z' }])

  const feed = await json(await t.get('/feed.json'))
  assert.equal(feed.items[0].date_modified, '2026-12-01T15:30:00.000Z')
  const atom = await (await t.get('/feed/atom/')).text()
  assert.match(/<entry>[\s\S]*?<\/entry>/.exec(atom)![0], /<updated>2026-12-01T15:30:00.000Z<\/updated>/)
  assert.match(await (await t.get('/sitemap-articles-1.xml')).text(), /<lastmod>2026-12-01T15:30:00.000Z<\/lastmod>/)
})

test('the corrections page lists every correction, newest first, linking to each article, twenty a page', async (ctx) => {
  const t = await testSite(ctx)
  const editor = await t.factories.staff('editor')
  const a = await t.factories.article({ title: 'Harbour fees rise' })
  const b = await t.factories.article({ title: 'School roof repaired' })
  const draft = await t.factories.article({ title: 'Unpublished piece', status: 'draft' })
  const start = t.now.getTime()
  for (let i = 0; i < 21; i++) {
    t.now = new Date(start + i * 60_000)
    assert.equal((await correct(t, editor.token, i % 2 ? b.id : a.id, `Correction number ${i}.`)).status, 201)
  }
  const refused = await correct(t, editor.token, draft.id, 'On a draft.')
  assert.equal(refused.status, 400)
  assert.equal((await json(refused)).error.message, 'Only a published article can be corrected; edit the draft instead.')

  const first = await (await t.get('/corrections/')).text()
  const items = [...first.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>\s*<div class="text"><p>Correction number (\d+)\.<\/p>/g)]
  assert.equal(items.length, 20)
  assert.deepEqual(items.slice(0, 3).map((m) => [m[2], m[3]]), [['Harbour fees rise', '20'], ['School roof repaired', '19'], ['Harbour fees rise', '18']])
  assert.ok(items[0]![1]!.startsWith(`${a.path}#correction-`), `links to the correction on its article: ${items[0]![1]}`)
  assert.match(first, /href="\/corrections\/page\/2\/" rel="next"/)
  const second = await (await t.get('/corrections/page/2/')).text()
  assert.match(second, /Correction number 0\./)
  assert.equal((await t.get('/corrections/page/3/')).status, 404)
})
