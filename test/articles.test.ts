import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as articles from '../src/articles/articles.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

for (const dialect of DIALECTS) {
  describe(`articles on ${dialect}`, () => {
    let t: TestSite
    before(async () => {
      t = await testSite({ dialect })
    })
    after(() => t.close())

    test('an article is saved with its byline, terms and credits, and updated by slug', async () => {
      const first = await t.publish({
        title: 'Inmates sent to the front',
        standfirst: 'The Kremlin makes ugly choices.',
        authors: ['Demo Desk', 'Jo Smith'],
        categories: ['World'],
        tags: ['Russia', 'Ukraine'],
        credits: [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }],
      })
      assert.equal(first.created, true)
      assert.equal(first.article.slug, 'inmates-sent-to-the-front')
      assert.deepEqual(first.article.authors.map((a) => a.displayName), ['Demo Desk', 'Jo Smith'])
      assert.deepEqual(first.article.tags.map((x) => x.name), ['Russia', 'Ukraine'])
      assert.deepEqual(first.article.credits, [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }])

      const second = await t.publish({ title: 'Inmates sent to the front line', slug: 'inmates-sent-to-the-front', tags: ['Russia'] })
      assert.equal(second.created, false)
      assert.equal(second.article.id, first.article.id)
      assert.equal(second.article.title, 'Inmates sent to the front line')
      assert.deepEqual(second.article.tags.map((x) => x.name), ['Russia'])
    })

    test('a renamed article is still found at its old slug', async () => {
      const { article } = await t.publish({ title: 'Old headline' })
      await articles.saveArticle(t.site.db, { id: article.id, title: 'New headline', slug: 'new-headline' }, new Date(t.now.getTime() - 1000))
      const found = await articles.findPublishedArticle(t.site.db, 'old-headline', t.now)
      assert.ok(found && 'movedTo' in found && found.movedTo.slug === 'new-headline')
    })

    test('drafts and future-dated stories stay hidden until their time', async () => {
      await t.publish({ title: 'Draft story', status: 'draft' })
      const future = new Date(t.now.getTime() + 3_600_000)
      const { article } = await articles.saveArticle(t.site.db, { title: 'Embargoed story', publishedAt: future }, t.now)
      assert.equal(article.status, 'scheduled')
      assert.equal(await articles.findPublishedArticle(t.site.db, 'draft-story', t.now), undefined)
      assert.equal(await articles.findPublishedArticle(t.site.db, 'embargoed-story', t.now), undefined)
      assert.ok(await articles.findPublishedArticle(t.site.db, 'embargoed-story', new Date(future.getTime() + 1)))
    })

    test('listings page through the newest stories and count only what readers can see', async () => {
      const before = await articles.listPublished(t.site.db, 1, 2, t.now)
      for (let i = 0; i < 5; i++) await t.publish({ title: `Listing story ${i}`, categories: ['Listings'] })
      const page1 = await articles.listPublished(t.site.db, 1, 2, t.now)
      assert.equal(page1.total, before.total + 5)
      assert.equal(page1.articles.length, 2)
      assert.equal(page1.pages, Math.ceil(page1.total / 2))
      const byCategory = await articles.listByTerm(t.site.db, 'category', 'listings', 1, 10, t.now)
      assert.equal(byCategory?.total, 5)
    })

    test('a scheduled article without a date, or a slug taken by another story, is refused', async () => {
      await assert.rejects(articles.saveArticle(t.site.db, { title: 'No date', status: 'scheduled' }), /date: a scheduled article needs a date/)
      const { article } = await t.publish({ title: 'Slug owner' })
      const other = await t.publish({ title: 'Slug taker' })
      await assert.rejects(articles.saveArticle(t.site.db, { id: other.article.id, title: 'Slug taker', slug: article.slug }), /slug: "slug-owner" is already used/)
    })
  })
}
