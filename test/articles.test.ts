import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

/** Stories a listing page shows (the items of its story list). */
function storiesOn(page: string): string[] {
  const list = /<ol class="story-list">([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? ''
  return [...list.matchAll(/<h2[^>]*><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!)
}

/** The front page's lead and secondary stories, in order. */
function topStoriesOn(page: string): string[] {
  const top = /<section class="top-stories"[^>]*>([\s\S]*?)<\/section>/.exec(page)?.[1] ?? ''
  return [...top.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!)
}

for (const dialect of DIALECTS) {
  describe(`articles on ${dialect}`, () => {
    test('an article is saved with its byline, terms and credits, and updated by slug', async (ctx) => {
      const t = await testSite(ctx, { dialect })
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
      const served = (await (await t.get('/api/v1/articles/inmates-sent-to-the-front')).json()) as any
      assert.equal(served.title, 'Inmates sent to the front line', 'readers see the update')
      assert.deepEqual(storiesOn(await (await t.get('/tag/russia/')).text()), ['Inmates sent to the front line'])
      assert.deepEqual(storiesOn(await (await t.get('/tag/ukraine/')).text()), [], 'the dropped tag no longer lists it')
    })

    test('a renamed article is still found at its old slug', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const { id } = await t.factories.article({ title: 'Old headline' })
      await t.publish({ id, title: 'New headline', slug: 'new-headline' })
      const old = await t.get('/api/v1/articles/old-headline')
      assert.equal(old.status, 301)
      assert.equal(old.headers.get('location'), '/api/v1/articles/new-headline')
      assert.equal(((await (await t.get('/api/v1/articles/new-headline')).json()) as any).id, id)
    })

    test('drafts and future-dated stories stay hidden until their time', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.factories.article({ title: 'Draft story', status: 'draft' })
      const future = new Date(t.now.getTime() + 3_600_000)
      const embargoed = await t.factories.article({ title: 'Embargoed story', publishedAt: future })
      assert.equal(embargoed.article.status, 'scheduled')
      assert.equal((await t.get('/api/v1/articles/draft-story')).status, 404)
      assert.equal((await t.get('/api/v1/articles/embargoed-story')).status, 404)
      assert.equal((await t.get(embargoed.path)).status, 404, 'nor is its permalink served early')
      assert.equal(((await (await t.get('/api/v1/articles')).json()) as any).total, 0)
      t.now = new Date(future.getTime() + 1)
      assert.equal((await t.get('/api/v1/articles/embargoed-story')).status, 200)
      assert.equal((await t.get(embargoed.path)).status, 200)
      assert.equal((await t.get('/api/v1/articles/draft-story')).status, 404)
    })

    test('listings page through the newest stories and count only what readers can see', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ postsPerPage: 2 })
      for (let i = 0; i < 5; i++) await t.factories.article({ title: `Listing story ${i}`, categories: ['Listings'], daysAgo: 5 - i })
      await t.factories.article({ title: 'Elsewhere', categories: ['Other'], daysAgo: 10 })
      await t.factories.article({ title: 'Unfinished', categories: ['Listings'], status: 'draft' })
      await t.factories.article({ title: 'Tomorrow', categories: ['Listings'], publishedAt: new Date(t.now.getTime() + 86_400_000) })
      const api = (await (await t.get('/api/v1/articles')).json()) as any
      assert.equal(api.total, 6, 'only published stories are counted')
      assert.deepEqual(topStoriesOn(await (await t.get('/')).text()), ['Listing story 4', 'Listing story 3'])
      assert.deepEqual(storiesOn(await (await t.get('/page/3/')).text()), ['Listing story 0', 'Elsewhere'])
      assert.equal((await t.get('/page/4/')).status, 404)
      assert.deepEqual(storiesOn(await (await t.get('/category/listings/')).text()), ['Listing story 4', 'Listing story 3'])
      assert.deepEqual(storiesOn(await (await t.get('/category/listings/page/3/')).text()), ['Listing story 0'])
      assert.equal((await t.get('/category/listings/page/4/')).status, 404, 'the category has 5 readable stories: 3 pages of 2')
    })

    test('a scheduled article without a date, or a slug taken by another story, is refused', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await assert.rejects(t.publish({ title: 'No date', status: 'scheduled' }), /date: a scheduled article needs a date/)
      const owner = await t.factories.article({ title: 'Slug owner' })
      const other = await t.factories.article({ title: 'Slug taker' })
      await assert.rejects(t.publish({ id: other.id, title: 'Slug taker', slug: owner.slug }), /slug: "slug-owner" is already used/)
      assert.equal(((await (await t.get('/api/v1/articles/slug-taker')).json()) as any).id, other.id, 'the refused change left the story as it was')
    })
  })
}
