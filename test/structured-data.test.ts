import assert from 'node:assert/strict'
import { test } from 'node:test'
import { postForm } from './support/comments.ts'
import { testSite } from './support/test-site.ts'

type Node = Record<string, any>

function structuredData(page: string): Node[] {
  const blocks = [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!))
  return blocks.flatMap((b) => (b['@graph'] ? b['@graph'] : [b]))
}

test('an article page describes one NewsArticle with its rights, credits and comments, and its breadcrumbs', async (ctx) => {
  const t = await testSite()
  ctx.after(() => t.close())
  await t.settings({ title: 'The Riverside Gazette', copyrightHolder: 'Riverside Media Ltd' })
  const { article } = await t.publish({
    title: 'Desperate Russia sending prison inmates to fight Ukraine',
    standfirst: 'The regular army is stretched thin.',
    publishedAt: new Date('2022-08-08T09:00:00Z'),
    authors: ['Demo Desk'],
    categories: ['World'],
    tags: ['Russia', 'Ukraine'],
    canonicalUrl: 'https://www.globaldefensecorp.com/2022/08/08/desperate-russia/',
    credits: [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }],
  })
  t.now = new Date('2022-08-09T09:00:00Z')
  const editor = await t.staffToken('editor')
  await postForm(t, t.pathOf(article), { author: 'Ann Reader', email: 'ann@example.org', content: 'A careful piece.' })
  const queue = (await (await t.get('/api/v1/admin/comments', { headers: { authorization: `Bearer ${editor}` } })).json()) as { comments: { id: number }[] }
  await t.get(`/api/v1/admin/comments/${queue.comments[0]!.id}`, { method: 'PATCH', body: '{"status":"approved"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` } })

  const page = await (await t.get(t.pathOf(article))).text()
  assert.doesNotMatch(page, /itemscope|itemtype/, 'no second, empty description in microdata')
  const nodes = structuredData(page)
  const news = nodes.filter((n) => n['@type'] === 'NewsArticle')
  assert.equal(news.length, 1, 'exactly one NewsArticle')
  const n = news[0]!
  assert.equal(n.headline, 'Desperate Russia sending prison inmates to fight Ukraine')
  assert.equal(n.description, 'The regular army is stretched thin.')
  assert.equal(n.datePublished, '2022-08-08T09:00:00.000Z')
  assert.ok(Date.parse(n.dateModified) >= Date.parse(n.datePublished))
  assert.deepEqual(n.author, [{ '@type': 'Person', name: 'Demo Desk', url: 'http://news.test/author/demo-desk/' }])
  assert.equal(n.publisher['@type'], 'NewsMediaOrganization')
  assert.equal(n.publisher.name, 'The Riverside Gazette')
  assert.equal(n.publisher.logo.url, 'http://news.test/favicon.svg')
  assert.deepEqual(n.copyrightHolder, { '@type': 'Organization', name: 'Riverside Media Ltd' })
  assert.equal(n.copyrightYear, 2022)
  assert.match(n.copyrightNotice, /^© 2022 Riverside Media Ltd\. Excerpts and links may be used/)
  assert.equal(n.license, 'http://news.test/reuse/')
  assert.equal(n.usageInfo, 'http://news.test/reuse/')
  assert.equal(n.creditText, 'Original reporting: CNN')
  assert.deepEqual(n.isBasedOn.map((w: Node) => w.url), ['https://www.globaldefensecorp.com/2022/08/08/desperate-russia/', 'https://edition.cnn.com/'])
  assert.equal(n.commentCount, 1)
  assert.equal(n.isAccessibleForFree, true)
  assert.equal(n.mainEntityOfPage, 'https://www.globaldefensecorp.com/2022/08/08/desperate-russia/', 'a syndicated piece points at its original')
  const crumbs = nodes.find((x) => x['@type'] === 'BreadcrumbList')!
  assert.deepEqual(crumbs.itemListElement.map((c: Node) => [c.position, c.name, c.item]), [
    [1, 'The Riverside Gazette', 'http://news.test/'],
    [2, 'World', 'http://news.test/category/world/'],
    [3, 'Desperate Russia sending prison inmates to fight Ukraine', 'https://www.globaldefensecorp.com/2022/08/08/desperate-russia/'],
  ])

  for (const tag of [
    '<meta property="og:type" content="article">',
    '<meta property="article:section" content="World">',
    '<meta property="article:tag" content="Russia">',
    '<meta name="twitter:card" content="summary">',
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
    '<link rel="alternate" type="application/atom+xml" title="The Riverside Gazette" href="http://news.test/feed/atom/">',
  ]) assert.ok(page.includes(tag), `the page carries ${tag}`)
  const icon = await t.get('/favicon.svg')
  assert.equal(icon.headers.get('content-type'), 'image/svg+xml')
  assert.match(await icon.text(), /^<svg /)
})

test('tdmrep.json says whether text-and-data mining is reserved, and where the policy is', async (ctx) => {
  const t = await testSite()
  ctx.after(() => t.close())
  assert.deepEqual(await (await t.get('/.well-known/tdmrep.json')).json(), [{ location: '/', 'tdm-reservation': 1, 'tdm-policy': 'http://news.test/reuse/' }])
  await t.settings({ textAndDataMining: 'allowed' })
  assert.deepEqual(await (await t.get('/.well-known/tdmrep.json')).json(), [{ location: '/', 'tdm-reservation': 0 }])
})

test("WordPress's ?p=ID and ?page_id=ID lead to the article with a 301", async (ctx) => {
  const t = await testSite()
  ctx.after(() => t.close())
  const { article } = await t.publish({ title: 'Old address', publishedAt: new Date(t.now.getTime() - 3600_000) })
  for (const query of [`?p=${article.id}`, `?page_id=${article.id}`]) {
    const res = await t.get(`/${query}`)
    assert.equal(res.status, 301, query)
    assert.equal(res.headers.get('location'), t.pathOf(article))
  }
  assert.equal((await t.get(`/?p=${article.id + 100}`)).status, 404)
  const draft = (await t.publish({ title: 'Not yet', status: 'draft' })).article
  assert.equal((await t.get(`/?p=${draft.id}`)).status, 404, 'a draft has no public address')
  assert.equal((await t.get('/?p=abc')).status, 200, 'anything else there is the front page')
})
