import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { runCli } from './support/cli.ts'
import { jpegWithGps } from './support/images.ts'
import { testSite, type TestSite } from './support/test-site.ts'

/** WordPress's theme unit test data (GPL-2.0, the WordPress theme review team), read in place. */
const THEME_UNIT_TEST = '/work/shared/data/wordpress/themeunittestdata.wordpress.xml'
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/wordpress')
const fixture = (name: string) => path.join(FIXTURES, name)

async function count(t: TestSite, table: 'articles' | 'comments' | 'users' | 'terms' | 'redirects' | 'wordpress_items'): Promise<number> {
  const row = await t.site.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

async function articleBySlug(t: TestSite, slug: string) {
  return t.site.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow()
}

for (const dialect of DIALECTS) {
  describe(`WordPress import on ${dialect}`, () => {
    test("the theme unit test export comes across whole: its counts, threads, statuses and old URLs", async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const summary = await t.site.services.wordpress.importWxr(THEME_UNIT_TEST)
      // What the file holds: 2 authors, 69 categories, 110 tags (+4 named only by posts), 58 posts
      // (56 published, 1 future, 1 draft), 21 pages, 37 attachments, 29 comments (26 approved,
      // 3 pending; 10 of them replies) and 4 pingbacks/trackbacks, 70 menu items.
      assert.equal(summary.counts.authors.created, 2)
      assert.equal(await count(t, 'users'), 2, 'every post is signed by one of the two declared authors (a stray ">" in a byline included)')
      assert.equal(summary.counts.posts.created, 58)
      assert.equal(summary.counts.pages.created, 21)
      assert.equal(summary.counts.attachments.created, 37)
      assert.equal(summary.counts.comments.created, 29)
      assert.equal(summary.counts.categories.created + summary.counts.categories.unchanged, 69)
      assert.equal(summary.counts.tags.created, 114)
      assert.equal(summary.skipped.get('"nav_menu_item" items (menus, custom post types)'), 70)
      assert.equal(summary.skipped.get('pingbacks (notices from other sites, not comments)'), 2)
      assert.ok(summary.shortcodes.get('gallery')! > 0, 'the [gallery] shortcode is listed as kept')

      const comments = await t.site.db.selectFrom('comments').select(['status', 'parent_id']).execute()
      assert.equal(comments.filter((c) => c.status === 'approved').length, 26)
      assert.equal(comments.filter((c) => c.status === 'pending').length, 3)
      assert.equal(comments.filter((c) => c.parent_id !== null).length, 10, 'every reply keeps its parent')

      const threaded = await articleBySlug(t, 'template-comments')
      const { thread, count: shown } = await t.site.services.comments.approvedThread(threaded.id, 10)
      assert.equal(shown, 19, 'the pending comment on "Template: Comments" is not shown')
      assert.ok(thread.some((c) => c.replies.length > 0), 'the comments are threaded on the page')

      // Statuses: the future post is scheduled, the draft is a draft, the sticky one is sticky.
      assert.equal((await articleBySlug(t, 'scheduled')).status, 'scheduled')
      assert.equal((await articleBySlug(t, 'draft')).status, 'draft')
      assert.equal((await articleBySlug(t, 'template-sticky')).sticky, 1)
      assert.match(await (await t.get('/')).text(), /Template: Sticky/, 'the sticky post (from 2012) leads the front page')
      const api = (await (await t.get('/api/v1/articles')).json()) as { total: number }
      assert.equal(api.total, 56, 'readers see the 56 published posts, no pages, drafts or scheduled posts')

      // A sample of old URLs: ?p=ID, ?page_id=ID, an old permalink, a nested page, an attachment, a sub-category.
      const pathOf = (r: Response) => new URL(r.headers.get('location')!, 'http://x').pathname
      let r = await t.get('/?p=1148')
      assert.equal(r.status, 301)
      assert.equal(pathOf(r), '/2012/01/03/template-comments/')
      r = await t.get('/2007/09/04/comment-test/')
      assert.equal(r.status, 301, 'the old permalink of "Template: Comments" leads to it')
      assert.equal(pathOf(r), '/2012/01/03/template-comments/')
      assert.equal((await t.get('/2012/01/03/template-comments/')).status, 200)
      r = await t.get('/?page_id=173')
      assert.equal(pathOf(r), '/level-2/')
      assert.equal(pathOf(await t.get('/level-1/level-2/')), '/level-2/')
      const about = await t.get('/about/')
      assert.equal(about.status, 200, 'a page answers at /SLUG/')
      assert.match(await about.text(), /About The Tests/)
      r = await t.get('/?attachment_id=967')
      assert.equal(r.status, 301)
      assert.equal(pathOf(r), '/2013/01/11/markup-image-alignment/', "an attachment's page leads to its post")
      r = await t.get('/category/parent/child-1/')
      assert.equal(pathOf(r), '/category/child-1/')
      assert.equal((await t.get('/category/child-1/')).status, 200)
      assert.equal(pathOf(await t.get('/?feed=rss2')), '/feed/')
    })

    test('re-running the same file adds nothing; a changed item is updated', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.site.services.wordpress.importWxr(fixture('wxr-1.2-blocks.xml'))
      const before = { articles: await count(t, 'articles'), comments: await count(t, 'comments'), users: await count(t, 'users'), redirects: await count(t, 'redirects') }
      const again = await t.site.services.wordpress.importWxr(fixture('wxr-1.2-blocks.xml'))
      assert.deepEqual(again.counts.posts, { created: 0, updated: 0, unchanged: 3 })
      assert.deepEqual(again.counts.comments, { created: 0, updated: 0, unchanged: 2 })
      assert.deepEqual(
        { articles: await count(t, 'articles'), comments: await count(t, 'comments'), users: await count(t, 'users'), redirects: await count(t, 'redirects') },
        before,
      )

      const changed = path.join(t.dataDir, 'changed.xml')
      fs.writeFileSync(changed, fs.readFileSync(fixture('wxr-1.2-blocks.xml'), 'utf8').replace('Harbour wall reopens', 'Harbour wall reopens at last'))
      const third = await t.site.services.wordpress.importWxr(changed)
      assert.deepEqual(third.counts.posts, { created: 0, updated: 1, unchanged: 2 })
      assert.equal((await articleBySlug(t, 'harbour-wall-reopens')).title, 'Harbour wall reopens at last')
      assert.equal(await count(t, 'articles'), before.articles)
    })

    test('blocks, statuses and spam: hidden stays hidden, the filter learns nothing unless asked', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const summary = await t.site.services.wordpress.importWxr(fixture('wxr-1.2-blocks.xml'))
      assert.equal(summary.learned, 0)
      assert.equal(summary.shortcodes.get('block latest-posts'), 1)
      const story = await articleBySlug(t, 'harbour-wall-reopens')
      assert.doesNotMatch(story.body_html, /wp:/, 'block comments are gone')
      assert.match(story.body_html, /<figcaption>The rebuilt wall<\/figcaption>/)
      assert.equal(story.sticky, 1)
      assert.equal((await articleBySlug(t, 'budget-leak')).status, 'private')
      assert.equal((await articleBySlug(t, 'pier-survey')).status, 'pending')
      assert.equal((await t.get('/contact/')).status, 200)
      const page = await (await t.get('/2024/05/01/harbour-wall-reopens/')).text()
      assert.doesNotMatch(page, /Buy now|café open/, 'spam and pending comments are not shown')
      assert.equal((await t.get('/api/v1/articles')).status, 200)
      const listed = (await (await t.get('/api/v1/articles')).json()) as { articles: { slug: string }[] }
      assert.deepEqual(listed.articles.map((a) => a.slug), ['harbour-wall-reopens'], 'private, pending posts and pages are not listed')
      assert.equal((await t.get('/2024/05/02/budget-leak/')).status, 404)
      // The old slug and the attachment page lead to the story.
      assert.equal((await t.get('/2024/05/01/wall-to-reopen/')).status, 301)
      assert.equal(new URL((await t.get('/2024/05/01/harbour-wall-reopens/wall/')).headers.get('location')!, 'http://x').pathname, '/2024/05/01/harbour-wall-reopens/')
      // The author was matched by login and keeps her name; she cannot sign in.
      const author = await t.site.db.selectFrom('users').selectAll().where('slug', '=', 'mkhan').executeTakeFirstOrThrow()
      assert.equal(author.display_name, 'Mina Khan')
      assert.equal(author.email, 'm.khan@herald.example')
      assert.equal(author.password_hash, null)
      const attachment = await t.site.db.selectFrom('wordpress_items').select('data').where('kind', '=', 'attachment').executeTakeFirstOrThrow()
      assert.deepEqual(JSON.parse(attachment.data), {
        wpId: '102', url: 'https://herald.example/wp-content/uploads/2024/05/wall.jpg', parentWpId: '101', title: 'wall.jpg', caption: 'The rebuilt wall', alt: 'The wall', description: '',
      })
    })

    test('--uploads finds attachment files in a copy of wp-content/uploads', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const uploads = path.join(t.dataDir, 'uploads')
      fs.mkdirSync(path.join(uploads, '2024/05'), { recursive: true })
      fs.writeFileSync(path.join(uploads, '2024/05/wall.jpg'), 'not really a JPEG')
      const result = await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml'), '--uploads', uploads], t.env)
      assert.equal(result.code, 0, result.stderr)
      const attachment = await t.site.db.selectFrom('wordpress_items').select('data').where('kind', '=', 'attachment').executeTakeFirstOrThrow()
      assert.equal(JSON.parse(attachment.data).file, path.join(uploads, '2024/05/wall.jpg'))
      const missing = await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml'), '--uploads', path.join(t.dataDir, 'nowhere')], t.env)
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /--uploads .*nowhere: not a folder/)
    })

    test('a featured image becomes a media record: processed and served by the site from --uploads, else pointing at its original address', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const uploads = path.join(t.dataDir, 'uploads')
      fs.mkdirSync(path.join(uploads, '2024/05'), { recursive: true })
      fs.writeFileSync(path.join(uploads, '2024/05/wall.jpg'), await jpegWithGps(1200, 800))
      assert.equal((await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml'), '--uploads', uploads], t.env)).code, 0)
      const withImage = await t.site.db.selectFrom('articles').select(['id', 'image_id']).where('image_id', 'is not', null).execute()
      assert.equal(withImage.length, 1, 'the post with _thumbnail_id has its featured image')
      const image = (await t.site.services.media.byId(withImage[0]!.image_id!))!
      assert.equal(image.alt, 'The wall')
      assert.equal(image.remoteUrl, null)
      assert.ok(image.variants.length > 0, 'variants made from the uploads copy')
      const page = await (await t.get(t.pathOf((await t.site.services.articles.byId(withImage[0]!.id))!))).text()
      assert.match(page, /<picture><source type="image\/webp" srcset="\/media\//)
      const lead = /<figure class="lead-image">.*?<\/figure>/s.exec(page)?.[0] ?? ''
      assert.match(lead, /alt="The wall"/)
      assert.doesNotMatch(lead, /herald\.example/, 'the lead image is served by the site, not the old host')

      const again = await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml'), '--uploads', uploads], t.env)
      assert.equal(again.code, 0)
      assert.equal((await t.site.db.selectFrom('media').select('id').execute()).length, 1, 'a re-run adds no image')

      const remote = await testSite(ctx, { dialect })
      assert.equal((await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml')], remote.env)).code, 0)
      const record = await remote.site.db.selectFrom('media').select(['remote_url', 'alt']).executeTakeFirstOrThrow()
      assert.deepEqual(record, { remote_url: 'https://herald.example/wp-content/uploads/2024/05/wall.jpg', alt: 'The wall' })
    })

    test('--learn teaches the filter from imported approved and spam comments', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const summary = await t.site.services.wordpress.importWxr(fixture('wxr-1.2-blocks.xml'), { learn: true })
      assert.equal(summary.learned, 1, 'the spam comment (the pending one teaches nothing)')
      const logged = await t.site.db.selectFrom('spam_training_log').select('label').execute()
      assert.deepEqual(logged.map((l) => l.label), ['spam'])
    })

    test('WXR 1.0 without ids, slugs or GMT dates: derived, nested categories, captions, replies before parents', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const summary = await t.site.services.wordpress.importWxr(fixture('wxr-1.0-classic.xml'))
      assert.equal(summary.counts.posts.created, 2)
      assert.equal(summary.derivedDates, 2)
      assert.equal(summary.shortcodes.get('gallery'), 1)
      const weir = await articleBySlug(t, 'weir-repairs-begin-at-millbrook')
      assert.equal(weir.published_at, '2009-03-02T09:30:00.000Z', 'the date comes from pubDate')
      assert.equal(weir.standfirst, 'Six weeks of work on the river.')
      assert.match(weir.body_html, /<p>Work on the old weir began on Monday.<br \/>\nThe council/)
      // The old site's image is another host's: the embed policy makes it a link (the page loads nothing from elsewhere).
      assert.match(weir.body_html, /<figure><a href="http:\/\/gazette.example\/wp-content\/uploads\/2009\/03\/weir.jpg">The weir<\/a>\s*<figcaption>The weir in February<\/figcaption>\s*<\/figure>/)
      assert.match(weir.body_html, /\[gallery ids="9,10"\]/, 'an unknown shortcode stays as text')
      assert.doesNotMatch(weir.body_html, /<script/)
      const ferry = await articleBySlug(t, 'ferry-timetable-changes')
      assert.equal(ferry.published_at, '2009-10-20T08:00:00.000Z', 'the date comes from post_date')

      const terms = await t.site.db.selectFrom('terms').select(['id', 'slug', 'parent_id']).where('taxonomy', '=', 'category').execute()
      const bySlug = new Map(terms.map((x) => [x.slug, x]))
      assert.equal(bySlug.get('rivers')!.parent_id, bySlug.get('local')!.id)
      assert.equal(bySlug.get('local')!.parent_id, bySlug.get('news')!.id)
      assert.equal((await (await t.get('/category/news/')).text()).includes('Weir repairs'), true, 'a parent category lists its sub-categories\' stories')
      assert.equal(new URL((await t.get('/category/news/local/rivers/')).headers.get('location')!, 'http://x').pathname, '/category/rivers/')

      const comments = await t.site.db.selectFrom('comments').select(['id', 'author_name', 'parent_id', 'author_ip', 'created_at']).orderBy('created_at').execute()
      assert.equal(comments[1]!.author_name, 'Dee')
      assert.equal(comments[1]!.parent_id, comments[0]!.id, 'the reply listed before its parent still hangs under it')
      assert.equal(comments[0]!.author_ip, '192.0.2.43')
      assert.equal(new URL((await t.get('/archives/weir-repairs')).headers.get('location')!, 'http://x').pathname, '/2009/03/02/weir-repairs-begin-at-millbrook/')
    })

    test('a malformed file stops with its line and column and leaves the database as it was', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.site.services.wordpress.importWxr(fixture('wxr-1.2-blocks.xml'))
      const before = await count(t, 'articles')
      const result = await runCli(['import', 'wordpress', fixture('malformed.xml')], t.env)
      assert.equal(result.code, 1)
      assert.match(result.stderr, /malformed\.xml: malformed XML at line 15, column \d+/)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line')
      assert.equal(await count(t, 'articles'), before, 'the good item before the break was not kept either')
      assert.equal((await runCli(['import', 'wordpress', path.join(t.dataDir, 'missing.xml')], t.env)).code, 1)
    })

    test('--dry-run prints what it would do and keeps nothing', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const result = await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml'), '--dry-run'], t.env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /dry run: nothing was written/)
      assert.match(result.stdout, /posts: 3 would be created/)
      assert.match(result.stdout, /comments: 2 would be created/)
      assert.equal(await count(t, 'articles'), 0)
      assert.equal(await count(t, 'wordpress_items'), 0)
      const real = await runCli(['import', 'wordpress', fixture('wxr-1.2-blocks.xml')], t.env)
      assert.equal(real.code, 0, real.stderr)
      assert.match(real.stdout, /posts: 3 created/)
      assert.equal(await count(t, 'articles'), 4)
    })
  })
}
