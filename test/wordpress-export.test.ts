import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { htmlToText } from '../src/text/plain-text.ts'
import { DIALECTS } from './support/dialects.ts'
import { runCli } from './support/cli.ts'
import { testSite, type TestSite } from './support/test-site.ts'

/** WordPress's theme unit test data (GPL-2.0, the WordPress theme review team), read in place. */
const THEME_UNIT_TEST = '/work/shared/data/wordpress/themeunittestdata.wordpress.xml'

/** Everything a reader or an editor would miss if it did not come across, keyed so two sites compare. */
async function siteFacts(t: TestSite) {
  const db = t.site.db
  const articles = await db.selectFrom('articles').selectAll().orderBy('slug').execute()
  const slugOf = new Map(articles.map((a) => [a.id, a.slug]))
  const terms = await db.selectFrom('terms').selectAll().execute()
  const termSlug = new Map(terms.map((x) => [x.id, x.slug]))
  const bylines = await db.selectFrom('article_authors').innerJoin('users', 'users.id', 'article_authors.user_id').select(['article_id', 'display_name']).execute()
  const tagged = await db.selectFrom('article_terms').select(['article_id', 'term_id']).execute()
  const credits = await db.selectFrom('credits').select(['article_id', 'name', 'role', 'url']).orderBy('position').execute()
  const comments = await db.selectFrom('comments').selectAll().orderBy('created_at').orderBy('id').execute()
  const commentKey = new Map(comments.map((c) => [c.id, `${c.author_name}@${c.created_at}`]))
  const redirects = await db.selectFrom('redirects').select(['path', 'article_id', 'target_path']).execute()
  return {
    articles: articles.map((a) => ({
      slug: a.slug, title: a.title, standfirst: a.standfirst, status: a.status, kind: a.kind, sticky: a.sticky,
      // WXR dates are to the second.
      published_at: a.published_at?.slice(0, 19),
      comments_open: a.comments_open, canonical_url: a.canonical_url, text: htmlToText(a.body_html),
      authors: bylines.filter((b) => b.article_id === a.id).map((b) => b.display_name),
      terms: tagged.filter((x) => x.article_id === a.id).map((x) => termSlug.get(x.term_id)).sort(),
      credits: credits.filter((c) => c.article_id === a.id).map((c) => `${c.role}: ${c.name} ${c.url ?? ''}`),
    })),
    terms: terms.map((x) => `${x.taxonomy}:${x.slug}:${x.name}:${x.parent_id ? termSlug.get(x.parent_id) : ''}`).sort(),
    comments: comments.map((c) => ({
      on: slugOf.get(c.article_id), author: c.author_name, email: c.author_email, ip: c.author_ip, status: c.status, at: c.created_at.slice(0, 19),
      parent: c.parent_id ? commentKey.get(c.parent_id) : null, text: htmlToText(c.content_html),
    })),
    redirects: new Map(redirects.map((r) => [r.path, r.article_id ? `article ${slugOf.get(r.article_id)}` : `path ${r.target_path}`])),
  }
}

for (const dialect of DIALECTS) {
  describe(`WordPress export on ${dialect}`, () => {
    test('a round trip (export, then import into an empty site) keeps every article, page, term, author, comment and redirect', async (ctx) => {
      const from = await testSite(ctx, { dialect })
      await from.site.services.wordpress.importWxr(THEME_UNIT_TEST)
      await from.publish({ title: 'Inmates sent to the front', slug: 'inmates', standfirst: 'A standfirst with ]]> inside.', body: 'Text with <em>HTML</em>.', credits: [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }], canonicalUrl: 'https://edition.cnn.com/story' })
      const file = path.join(from.dataDir, 'export.xml')
      const exported = await runCli(['export', 'wordpress', file], from.env)
      assert.equal(exported.code, 0, exported.stderr)
      assert.match(exported.stdout, /59 posts, 21 pages, 29 comments/)

      const xml = fs.readFileSync(file, 'utf8')
      for (const required of ['<wp:wxr_version>1.2</wp:wxr_version>', '<wp:base_site_url>', '<wp:author_login>', '<wp:category_nicename>', '<wp:tag_slug>', '<wp:post_type><![CDATA[page]]></wp:post_type>', '<wp:comment_approved><![CDATA[0]]></wp:comment_approved>', '<wp:comment_parent>']) {
        assert.ok(xml.includes(required), `the export has ${required}`)
      }
      assert.ok(xml.includes(']]]]><![CDATA[>'), 'a "]]>" in a body is split across CDATA sections')

      const to = await testSite(ctx, { dialect })
      const summary = await to.site.services.wordpress.importWxr(file)
      assert.equal(summary.counts.posts.created, 59)
      assert.equal(summary.counts.pages.created, 21)
      const [a, b] = [await siteFacts(from), await siteFacts(to)]
      assert.deepEqual(b.articles, a.articles)
      assert.deepEqual(b.terms, a.terms)
      assert.deepEqual(b.comments, a.comments)
      for (const [p, target] of a.redirects) assert.equal(b.redirects.get(p), target, `the old address ${p} still leads to the same place`)
      // And over HTTP, on the new site: an old WordPress link and a page.
      assert.equal(new URL((await to.get('/?p=1148')).headers.get('location')!, 'http://x').pathname, '/2012/01/03/template-comments/')
      assert.equal((await to.get('/about/')).status, 200)
    })

    test('export to a folder that does not exist fails with one line', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const result = await runCli(['export', 'wordpress', path.join(t.dataDir, 'no/such/dir/x.xml')], t.env)
      assert.equal(result.code, 1)
      assert.match(result.stderr, /^broadsheet: cannot write .*x\.xml: ENOENT\n$/)
    })
  })
}
