import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DomUtils, parseDocument } from 'htmlparser2'
import { insertComment } from '../src/comments/comment-store.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const THREADS = 400
const REPLIES = 600
const PER_PAGE = 25

/** What a comments section shows: its top-level comments in order, each with every comment under it. */
function threadsOn(page: string): { root: number; ids: number[] }[] {
  const doc = parseDocument(page)
  const list = DomUtils.findOne((e) => e.name === 'ol' && e.attribs.class === 'comment-list', doc.children)
  if (!list) return []
  const items = list.children.filter((c): c is Parameters<typeof DomUtils.getAttributeValue>[0] => c.type === 'tag' && (c as { name: string }).name === 'li')
  return items.map((li) => ({
    root: Number(li.attribs.id!.slice('comment-'.length)),
    ids: DomUtils.findAll((e) => e.name === 'li' && e.attribs.class === 'comment', [li]).map((e) => Number(e.attribs.id!.slice('comment-'.length))),
  }))
}

const linkOf = (page: string, rel: string) => new RegExp(`<link rel="${rel}" href="([^"]+)">`).exec(page)?.[1]
const countOn = (page: string) => /<h2 id="comments-title">([^<]*)<\/h2>/.exec(page)?.[1]

/**
 * An article with 1,000 approved comments: 400 threads, then 600 replies spread over them (some
 * to replies), all posted after the last thread began, so a thread's replies have ids above later
 * threads' (a page must still keep them together); and comments readers never see.
 */
async function busyArticle(t: TestSite) {
  const article = await t.factories.article({ title: 'Council votes on the flood wall' })
  const by = t.factories.commenter()
  const row = (parent: number | null, status: 'approved' | 'pending' | 'spam' = 'approved') => ({
    article_id: article.id, parent_id: parent, author_name: by.author, author_email: by.email, author_url: '', author_ip: null, user_agent: null,
    content_markdown: 'Agreed.', content_html: '<p>Agreed.</p>', status, reasons: '[]', spam_score: 0.1, notify_replies: 0, created_at: t.now.toISOString(),
  })
  const roots: number[] = []
  const children = new Map<number, number[]>()
  await t.site.db.transaction().execute(async (trx) => {
    for (let i = 0; i < THREADS; i++) roots.push(await insertComment(trx, row(null)))
    for (let k = 0; k < REPLIES; k++) {
      const root = roots[(k * 7) % THREADS]!
      const under = children.get(root) ?? []
      const parent = k % 3 === 0 && under.length ? under.at(-1)! : root
      under.push(await insertComment(trx, row(parent)))
      children.set(root, under)
    }
    for (let i = 0; i < 10; i++) await insertComment(trx, row(null, 'pending'))
    for (let i = 0; i < 10; i++) await insertComment(trx, row(roots[i]!, 'spam'))
  })
  const thread = (root: number) => [root, ...(children.get(root) ?? [])].sort((a, b) => a - b)
  return { article, roots, thread }
}

for (const dialect of DIALECTS) {
  describe(`comment pages on ${dialect}`, () => {
    test('a 1,000-comment article is read a page of whole threads at a time, with the whole count', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const { article, roots, thread } = await busyArticle(t)
      await t.settings({ pageComments: true, commentsPerPage: PER_PAGE, defaultCommentsPage: 'oldest', commentOrder: 'asc' })
      const permalink = t.env.BROADSHEET_URL + article.path
      const pages = THREADS / PER_PAGE

      const seen = new Set<number>()
      for (let n = 1; n <= pages; n++) {
        const response = await t.get(n === 1 ? article.path : `${article.path}comment-page-${n}/`)
        assert.equal(response.status, 200, `comment page ${n} is served`)
        const page = await response.text()
        const shown = threadsOn(page)
        const expected = roots.slice((n - 1) * PER_PAGE, n * PER_PAGE)
        assert.deepEqual(shown.map((s) => s.root), expected, `page ${n} shows its ${PER_PAGE} threads, oldest first`)
        for (const s of shown) assert.deepEqual([...s.ids].sort((a, b) => a - b), thread(s.root), `thread ${s.root} is shown whole on page ${n}, every reply under its parent`)
        for (const s of shown) for (const id of s.ids) seen.add(id)
        assert.equal(countOn(page), '1000 Comments', `page ${n} gives the article's whole count`)
        assert.equal(linkOf(page, 'canonical'), n === 1 ? permalink : `${permalink}comment-page-${n}/`, `page ${n}'s canonical link`)
        assert.equal(linkOf(page, 'prev'), n === 1 ? undefined : n === 2 ? permalink : `${permalink}comment-page-${n - 1}/`)
        assert.equal(linkOf(page, 'next'), n === pages ? undefined : `${permalink}comment-page-${n + 1}/`)
        if (n < pages) assert.match(page, new RegExp(`<a href="${permalink}comment-page-${n + 1}/#comments" rel="next">Newer comments →</a>`), 'the pager leads on')
      }
      assert.equal(seen.size, 1000, 'every approved comment is on exactly one page, and no held or spam one')

      assert.equal((await t.get(`${article.path}comment-page-${pages + 1}/`)).status, 404, 'a page past the last is not found')
      assert.equal((await t.get(`${article.path}comment-page-0/`)).status, 404)
      assert.equal((await t.get(`${article.path}comment-page-99999999/`)).status, 404)

      // Newest comments shown first, newest at the top of each page.
      await t.settings({ defaultCommentsPage: 'newest', commentOrder: 'desc' })
      const front = await (await t.get(article.path)).text()
      assert.deepEqual(threadsOn(front).map((s) => s.root), roots.slice(-PER_PAGE).reverse(), 'the article shows the newest threads, newest first')
      assert.equal(linkOf(front, 'canonical'), permalink)
      assert.equal(linkOf(front, 'prev'), `${permalink}comment-page-${pages - 1}/`)
      const first = await (await t.get(`${article.path}comment-page-1/`)).text()
      assert.deepEqual(threadsOn(first).map((s) => s.root), roots.slice(0, PER_PAGE).reverse())
      assert.equal(linkOf(first, 'canonical'), `${permalink}comment-page-1/`)
      const penultimate = await (await t.get(`${article.path}comment-page-${pages - 1}/`)).text()
      assert.equal(linkOf(penultimate, 'next'), permalink, 'the newest page is the article itself')

      // The article's comment feed still carries the newest comments, each linked to its page.
      const feed = await (await t.get(`${article.path}feed/`)).text()
      assert.equal([...feed.matchAll(/<item>/g)].length, 20)
      const newestReply = Math.max(...roots.map((r) => thread(r).at(-1)!))
      const root = roots.find((r) => thread(r).includes(newestReply))!
      const rootPage = Math.ceil((roots.indexOf(root) + 1) / PER_PAGE)
      assert.match(feed, new RegExp(`<link>${permalink}comment-page-${rootPage}/#comment-${newestReply}</link>`), 'a comment in the feed links to the page that shows it')
    })

    test('a posted comment is sent to the page that holds it', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const { article, roots } = await busyArticle(t)
      await t.settings({ pageComments: true, commentsPerPage: PER_PAGE, defaultCommentsPage: 'oldest', commentOrder: 'asc' })
      const reader = await t.factories.approvedCommenter({ article })
      const permalink = t.env.BROADSHEET_URL + article.path

      const reply = await t.comment(article, { as: reader, parent_id: String(roots[60]), content: 'A reply deep in the thread.' })
      assert.equal(reply.status, 'approved')
      const location = reply.response.headers.get('location')!
      assert.equal(location, `${permalink}comment-page-3/#comment-${reply.id}`, 'a reply to the 61st thread lands on page 3')
      assert.ok(threadsOn(await (await t.get(new URL(location).pathname)).text()).some((s) => s.root === roots[60] && s.ids.includes(reply.id!)), 'and page 3 shows it under its parent')

      // With the newest page shown first, a new thread is on the article's own page.
      await t.settings({ defaultCommentsPage: 'newest' })
      const fresh = await t.comment(article, { as: reader, content: 'A new thread of my own.' })
      assert.equal(fresh.response.headers.get('location'), `${permalink}#comment-${fresh.id}`)
      const page = await (await t.get(article.path)).text()
      assert.ok(threadsOn(page).some((s) => s.root === fresh.id), 'the newest page shows the new thread')
      assert.equal(countOn(page), '1003 Comments', 'the count has both new comments and the reader\'s first')

      // Not in pages: one page with every comment, and a comment page's address leads to the article.
      await t.settings({ pageComments: false })
      const whole = await t.get(`${article.path}comment-page-2/`, { redirect: 'manual' })
      assert.equal(whole.status, 301)
      assert.equal(new URL(whole.headers.get('location')!, t.url).pathname, article.path)
      assert.equal(threadsOn(await (await t.get(article.path)).text()).reduce((n, s) => n + s.ids.length, 0), 1003)
    })

    test('comment paging settings are checked when written', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const token = await t.staffToken('administrator')
      for (const bad of [{ commentsPerPage: 0 }, { commentsPerPage: 2.5 }, { defaultCommentsPage: 'middle' }, { commentOrder: 'random' }, { pageComments: 'yes' }]) {
        const response = await t.api('/api/v1/admin/settings', { method: 'PATCH', token, body: bad })
        assert.equal(response.status, 400, `${JSON.stringify(bad)} is refused`)
        assert.match(((await response.json()) as { error: { message: string } }).error.message, new RegExp(Object.keys(bad)[0]!))
      }
      const defaults = (await (await t.api('/api/v1/admin/settings', { token })).json()) as Record<string, unknown>
      assert.deepEqual([defaults.pageComments, defaults.commentsPerPage, defaults.defaultCommentsPage, defaults.commentOrder], [false, 50, 'newest', 'asc'])
    })
  })
}
