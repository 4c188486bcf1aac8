import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const STORY_PATH = '/2022/08/08/desperate-russia-sends-prison-inmates-to-fight/'

/** The story most of these tests read: a byline, terms, credits, a quotation, an old date. */
function russiaStory(t: TestSite) {
  return t.factories.article({
    title: 'Desperate Russia sends prison inmates to fight',
    standfirst: 'The regular army is stretched thin.',
    body: 'Promises of freedom are made to convicts.\n\n> This scene is playing out across Russia.',
    authors: ['Demo Desk'],
    categories: ['World'],
    tags: ['Russia'],
    publishedAt: new Date('2022-08-08T09:00:00Z'),
    credits: [
      { name: 'Global Defense Corp', role: 'Excerpt from', url: 'https://www.globaldefensecorp.com/' },
      { name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' },
    ],
  })
}

for (const dialect of DIALECTS) {
  describe(`reader pages over HTTP on ${dialect}`, () => {
    test('the article page carries everything a news story needs', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ copyrightHolder: 'The Riverside Gazette' })
      const story = await russiaStory(t)
      assert.equal(story.path, STORY_PATH)
      const res = await t.get(STORY_PATH)
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type')!, /text\/html/)
      const page = await res.text()
      assert.match(page, /<h1 class="headline">Desperate Russia sends prison inmates to fight<\/h1>/)
      assert.match(page, /<p class="standfirst">The regular army is stretched thin.<\/p>/)
      assert.match(page, /By <a href="\/author\/demo-desk\/" rel="author">Demo Desk<\/a>/)
      assert.match(page, /8 August 2022/)
      assert.match(page, /Excerpt from <a href="https:\/\/www.globaldefensecorp.com\/" rel="noopener">Global Defense Corp<\/a>/)
      assert.match(page, /Original reporting: <a href="https:\/\/edition.cnn.com\/" rel="noopener">CNN<\/a>/)
      assert.match(page, /© 2022 The Riverside Gazette\. Excerpts and links may be used/)
      assert.match(page, /<link rel="canonical" href="http:\/\/news.test\/2022\/08\/08\/desperate-russia-sends-prison-inmates-to-fight\/">/)
      assert.match(page, /Be the first to comment/)
      assert.match(page, /Leave a Reply/)
      assert.match(page, /This site filters spam locally. <a href="\/privacy\/">Learn how your comment data is processed.<\/a>/)
      assert.match(page, /"@type":"NewsArticle"/)
      assert.doesNotMatch(page, /https?:\/\/(fonts\.googleapis|www\.google-analytics|gravatar)/)
    })

    test('a syndicated piece points rel=canonical at the original', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const { slug } = await t.factories.article({ title: 'Syndicated piece', canonicalUrl: 'https://original.example/story', publishedAt: new Date('2024-01-02T10:00:00Z') })
      const page = await (await t.get(`/2024/01/02/${slug}/`)).text()
      assert.match(page, /<link rel="canonical" href="https:\/\/original.example\/story">/)
      assert.match(page, /first published at <a href="https:\/\/original.example\/story">original.example<\/a>/)
    })

    test('a headline with markup is shown as text, never run', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const { slug } = await t.factories.article({ title: '<script>alert("x")</script> & "quotes"', slug: 'markup-headline', publishedAt: new Date('2024-01-03T10:00:00Z') })
      const page = await (await t.get(`/2024/01/03/${slug}/`)).text()
      assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &quot;quotes&quot;/)
      assert.doesNotMatch(page, /<script>alert/)
    })

    test('a wrong date in the permalink redirects permanently to the article', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await russiaStory(t)
      const wrongDate = await t.get('/2021/01/01/desperate-russia-sends-prison-inmates-to-fight/')
      assert.equal(wrongDate.status, 301)
      assert.equal(wrongDate.headers.get('location'), STORY_PATH)
    })

    test("a story republished under a new slug answers its old permalink and API slug with 301 to the new", async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const first = await t.factories.article({ title: 'Barrier may fail', slug: 'barrier-may-fail', publishedAt: new Date('2024-02-03T08:00:00Z') })
      await t.publish({ id: first.id, title: 'Barrier holds', slug: 'barrier-holds', publishedAt: new Date('2024-02-03T08:00:00Z') })

      const oldPage = await t.get('/2024/02/03/barrier-may-fail/')
      assert.equal(oldPage.status, 301, 'readers following an old link get a dead end')
      assert.equal(oldPage.headers.get('location'), '/2024/02/03/barrier-holds/')
      const newPage = await t.get('/2024/02/03/barrier-holds/')
      assert.equal(newPage.status, 200)
      assert.match(await newPage.text(), /<h1 class="headline">Barrier holds<\/h1>/)

      const oldApi = await t.get('/api/v1/articles/barrier-may-fail')
      assert.equal(oldApi.status, 301, 'API clients holding the old slug get a dead end')
      assert.equal(oldApi.headers.get('location'), '/api/v1/articles/barrier-holds')
      const newApi = (await (await t.get('/api/v1/articles/barrier-holds')).json()) as any
      assert.equal(newApi.id, first.id)
      assert.equal(newApi.url, 'http://news.test/2024/02/03/barrier-holds/')
    })

    test('the front page lists the newest stories and pages through the rest', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ postsPerPage: 3 })
      for (let i = 1; i <= 4; i++) await t.factories.article({ title: `Front page story ${i}`, daysAgo: 5 - i })
      const front = await (await t.get('/')).text()
      assert.match(front, /Front page story 4/)
      assert.doesNotMatch(front, /Front page story 1/, 'the oldest story is on page 2')
      assert.match(front, /rel="next"/)
      const res2 = await t.get('/page/2/')
      assert.equal(res2.status, 200)
      const page2 = await res2.text()
      assert.match(page2, /<link rel="canonical" href="http:\/\/news.test\/page\/2\/">/)
      assert.match(page2, /Front page story 1/)
    })

    test('category, tag and author archives list their stories', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await russiaStory(t)
      for (const path of ['/category/world/', '/tag/russia/', '/author/demo-desk/']) {
        const res = await t.get(path)
        assert.equal(res.status, 200, path)
        assert.match(await res.text(), /Desperate Russia sends prison inmates to fight/, path)
      }
    })

    test('the reuse page states the policy', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const page = await (await t.get('/reuse/')).text()
      assert.match(page, /Excerpts and links may be used, provided that full and clear credit is given/)
    })

    test('unknown paths, malformed page numbers and slugs are 404 pages, never 500', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await russiaStory(t)
      for (const path of ['/no/such/thing', '/page/0/', '/page/abc/', '/page/99999/', '/page/1e5/', '/category/no-such/', '/category/%E0%A4%A/', '/tag/../../etc/', '/author/nobody/', '/2022/08/08/no-such-story/', '/2022/08/08/%ff%fe/', '/%00']) {
        const res = await t.get(path)
        assert.equal(res.status, 404, path)
        assert.match(await res.text(), /Page not found/, path)
      }
    })

    test('the content API lists published articles with a total, and serves one by slug', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await russiaStory(t)
      for (let i = 1; i <= 4; i++) await t.factories.article({ title: `Listed story ${i}` })
      await t.factories.article({ title: 'A draft', status: 'draft' })
      const res = await t.get('/api/v1/articles?page=1')
      assert.equal(res.status, 200)
      const body = (await res.json()) as { articles: Record<string, unknown>[]; page: number; pages: number; total: number }
      assert.equal(body.page, 1)
      assert.equal(body.total, 5, 'the total counts published articles only')
      assert.equal(body.pages, 1)
      assert.deepEqual(Object.keys(body.articles[0]!).sort(), ['comment_count', 'id', 'published_at', 'slug', 'standfirst', 'title', 'url'])
      const one = (await (await t.get('/api/v1/articles/desperate-russia-sends-prison-inmates-to-fight')).json()) as Record<string, any>
      assert.match(one.body_html, /Promises of freedom/)
      assert.equal(one.credits[1].name, 'CNN')
      assert.equal(one.url, 'http://news.test' + STORY_PATH)
      const missing = await t.get('/api/v1/articles/nope')
      assert.equal(missing.status, 404)
      assert.deepEqual(await missing.json(), { error: { code: 'not_found', message: 'No article has this slug.' } })
      const bad = await t.get('/api/v1/articles?page=-1')
      assert.equal(bad.status, 400)
      assert.equal(((await bad.json()) as any).error.code, 'invalid_input')
    })

    test('/healthz answers 200 while the database does', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const res = await t.get('/healthz')
      assert.equal(res.status, 200)
      assert.deepEqual(await res.json(), { status: 'ok', database: dialect, reads: 'ok', writes: 'ok' })
    })
  })
}

describe('dates on a backdated story', () => {
  test('a story imported today with an old date is not shown as updated today', async (ctx) => {
    const t = await testSite(ctx)
    const { slug } = await t.factories.article({ title: 'Old story', publishedAt: new Date('2022-08-08T09:00:00Z') })
    const page = await (await t.get(`/2022/08/08/${slug}/`)).text()
    assert.doesNotMatch(page, /Updated/)
    assert.match(page, /Notify me of replies to my comment by email/)
  })
})
