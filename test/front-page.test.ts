import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

/** The front page's blocks, by what a reader sees in them. */
function sectionOf(page: string, cls: string): string {
  return new RegExp(`<section class="${cls}"[^>]*>([\\s\\S]*?)</section>`).exec(page)?.[1] ?? ''
}
const headlines = (fragment: string) => [...fragment.matchAll(/<h[23] class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!)
const navLinks = (page: string) => [...(/<nav class="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(page)?.[1] ?? '').matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`)

for (const dialect of DIALECTS) {
  describe(`the front page and archives on ${dialect}`, () => {
    test('the front page has a date line, a lead with its image, secondary stories, most recent and a block per section in the set order', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      t.now = new Date('2026-12-02T23:30:00Z')
      await t.settings({ timeZone: 'Asia/Tokyo', sections: ['world', 'local'], postsPerPage: 7 })
      const photo = await t.factories.image({ alt: 'Crowds on the quay', credit: 'Jane Roe / Agency' })
      const small = await t.factories.image({ alt: 'A council chamber', width: 800, height: 500 })
      for (let i = 1; i <= 8; i++) {
        await t.factories.article({ title: `Local story ${i}`, categories: ['Local'], daysAgo: 20 - i, ...(i === 7 && { imageId: small.id }) })
      }
      await t.factories.article({ title: 'World story', categories: ['World'], daysAgo: 30 })
      await t.factories.article({ title: 'Lead story', standfirst: 'The day in one line.', categories: ['Local'], imageId: photo.id, publishedAt: new Date('2026-12-02T22:00:00Z') })

      const res = await t.get('/')
      assert.equal(res.status, 200)
      const page = await res.text()
      assert.match(page, /<p class="dateline"><time datetime="2026-12-03">Thursday, 3 December 2026<\/time><\/p>/, 'the date is the newsroom’s (Tokyo: already the 3rd)')
      assert.deepEqual(navLinks(page).slice(0, 3), ['Latest /', 'World /category/world/', 'Local /category/local/'])

      const top = sectionOf(page, 'top-stories')
      assert.deepEqual(headlines(top), ['Lead story', 'Local story 8', 'Local story 7', 'Local story 6', 'Local story 5'])
      assert.match(top, /<article class="card card-lead has-image">[\s\S]*?alt="Crowds on the quay" width="1600" height="960" decoding="async" fetchpriority="high">/)
      assert.match(top, /alt="A council chamber" width="800" height="500" decoding="async" loading="lazy">/, 'images below the lead load lazily')
      assert.match(top, /<p class="card-standfirst">The day in one line.<\/p>/)

      const recent = sectionOf(page, 'most-recent')
      assert.match(recent, /<h2 id="most-recent" class="block-title">Most recent<\/h2>/)
      assert.match(recent, /<time datetime="[^"]+">\d\d:\d\d GMT\+9<\/time> <a href="[^"]+">Local story 4<\/a>/)
      assert.match(recent, /<a href="\/page\/2\/" rel="next">More stories →<\/a>/)

      const blocks = [...page.matchAll(/<section class="section-block"[^>]*>\n<h2[^>]*><a href="([^"]+)">([^<]+)<\/a><\/h2>([\s\S]*?)<\/section>/g)]
      assert.deepEqual(blocks.map((b) => b[2]), ['World', 'Local'], 'sections in the order the settings give')
      assert.deepEqual(headlines(blocks[0]![3]!), ['World story'])
      assert.deepEqual(headlines(blocks[1]![3]!), ['Local story 4', 'Local story 3', 'Local story 2', 'Local story 1'], 'a block leaves out the stories above it')
    })

    test('a front page without images has no picture, and an empty site says so', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      assert.match(await (await t.get('/')).text(), /No stories yet\./)
      await t.factories.article({ title: 'Only story', categories: ['Local'] })
      const page = await (await t.get('/')).text()
      assert.deepEqual(headlines(sectionOf(page, 'top-stories')), ['Only story'])
      assert.doesNotMatch(page, /<picture|<img/)
      assert.match(page, /<a href="\/category\/local\/">Local<\/a>/, 'without a sections setting, the categories in use make the menu')
    })

    test('a story is listed under every category it has, its first one is its kicker, and archives say what they are', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const image = await t.factories.image({ alt: 'Sandbags on the quay' })
      const flood = await t.factories.article({ title: 'Flood barrier holds', categories: ['Local', 'Environment'], tags: ['Flooding'], authors: ['Tom Reyes'], imageId: image.id })
      await t.site.db.updateTable('users').set({ bio: 'Tom covers the town and the river.' }).where('slug', '=', 'tom-reyes').execute()

      const article = await (await t.get(flood.path)).text()
      assert.match(article, /<p class="kicker"><a href="\/category\/local\/">Local<\/a><\/p>/, 'the kicker is the primary (first) category')
      for (const [path, kind, title] of [['/category/local/', 'Section', 'Local'], ['/category/environment/', 'Section', 'Environment'], ['/tag/flooding/', 'Topic', 'Flooding'], ['/author/tom-reyes/', 'Author', 'Tom Reyes']] as const) {
        const page = await (await t.get(path)).text()
        assert.match(page, new RegExp(`<header class="listing-head"><p class="kicker">${kind}</p><h1 class="headline">${title}</h1>`), path)
        assert.deepEqual(headlines(page), ['Flood barrier holds'], path)
        assert.match(page, /alt="Sandbags on the quay"[^>]*loading="lazy"/, `${path} shows the story's image`)
      }
      assert.match(await (await t.get('/author/tom-reyes/')).text(), /<p class="standfirst">Tom covers the town and the river.<\/p>/)
      assert.match(await (await t.get('/category/environment/')).text(), /<a href="\/category\/environment\/" aria-current="page">Environment<\/a>/)
    })

    test('archives page through their cards', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ postsPerPage: 2 })
      for (let i = 1; i <= 3; i++) await t.factories.article({ title: `Council story ${i}`, categories: ['Council'], daysAgo: 5 - i })
      const first = await (await t.get('/category/council/')).text()
      assert.deepEqual(headlines(first), ['Council story 3', 'Council story 2'])
      assert.match(first, /<a href="\/category\/council\/page\/2\/" rel="next">/)
      assert.deepEqual(headlines(await (await t.get('/category/council/page/2/')).text()), ['Council story 1'])
      assert.deepEqual(headlines(sectionOf(await (await t.get('/page/2/')).text(), 'x')), [])
      assert.deepEqual(headlines(await (await t.get('/page/2/')).text()), ['Council story 1'])
    })
  })

  describe(`the article page's reading aids on ${dialect}`, () => {
    test('the time of day is given in the site time zone, related stories follow, and share links load nothing', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ timeZone: 'Europe/London' })
      const story = await t.factories.article({ title: 'Barrier holds', categories: ['Local'], tags: ['Flooding'], publishedAt: new Date('2026-07-01T08:15:00Z') })
      await t.factories.article({ title: 'Same section and tag', categories: ['Local'], tags: ['Flooding'], daysAgo: 30 })
      await t.factories.article({ title: 'Same section only', categories: ['Local'], daysAgo: 2 })
      await t.factories.article({ title: 'Unrelated', categories: ['World'], daysAgo: 1 })

      const page = await (await t.get(story.path)).text()
      assert.match(page, /<time datetime="2026-07-01T08:15:00.000Z">1 July 2026, 09:15 BST<\/time>/)
      const related = /<section class="related"[^>]*>([\s\S]*?)<\/section>/.exec(page)?.[1] ?? ''
      assert.deepEqual(headlines(related), ['Same section and tag', 'Same section only'], 'the most shared first; nothing unrelated')
      const share = /<nav class="share"[^>]*>([\s\S]*?)<\/nav>/.exec(page)?.[1] ?? ''
      assert.match(share, /href="mailto:\?subject=Barrier%20holds&amp;body=http%3A%2F%2Fnews.test%2F2026%2F07%2F01%2Fbarrier-holds%2F"/)
      assert.match(share, /href="https:\/\/www.facebook.com\/sharer\/sharer.php\?u=http%3A%2F%2Fnews.test/)
      // Nothing on the page is fetched from another host: no scripts, images, styles or frames from elsewhere.
      assert.doesNotMatch(page, /<(script|img|iframe|source)[^>]+(src|srcset)="https?:/)
      assert.doesNotMatch(page, /<link[^>]+rel="(stylesheet|preload|icon)"[^>]+href="https?:\/\/(?!news\.test)/)
    })

    test('a story with nothing related has no related block', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const story = await t.factories.article({ title: 'Alone', categories: ['Local'] })
      assert.doesNotMatch(await (await t.get(story.path)).text(), /Related stories/)
    })

    test('a time zone that does not exist is refused, and the site keeps its own', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const token = await t.staffToken('administrator')
      const res = await t.api('/api/v1/admin/settings', { method: 'PATCH', token, body: { timeZone: 'Mars/Olympus_Mons' } })
      assert.equal(res.status, 400)
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /timeZone: must be an IANA time zone name/)
      assert.equal(((await (await t.api('/api/v1/admin/settings', { token })).json()) as { timeZone: string }).timeZone, 'UTC')
    })
  })
}
