/**
 * The newsroom's editor and queue over real HTTP, with each role's rights: who may publish,
 * schedule and edit whose articles, what a stale or clashing save gets, and what moderators do
 * from the queue besides approving (bulk, edit, reply).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { signedInAs } from './support/admin-client.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const article = (over: Record<string, string> = {}) => ({ title: 'Council backs the new ferry', standfirst: 'A vote of 9 to 2.', body: 'The ferry runs from May.', categories: 'Local', tags: '', credits: '', ...over })

async function idFrom(location: string | null): Promise<number> {
  const m = /\/admin\/articles\/(\d+)\?saved=/.exec(location ?? '')
  assert.ok(m, `expected a redirect to the saved article, got ${location}`)
  return Number(m[1])
}

async function publishedTotal(t: TestSite): Promise<number> {
  return ((await (await t.get('/api/v1/articles')).json()) as { total: number }).total
}

describe('who may do what in the editor', () => {
  // What each role's browser gets for each action on its own new article (WordPress's roles).
  const table = [
    { role: 'administrator', draft: 303, pending: 303, publish: 303, schedule: 303 },
    { role: 'editor', draft: 303, pending: 303, publish: 303, schedule: 303 },
    { role: 'author', draft: 303, pending: 303, publish: 303, schedule: 303 },
    { role: 'contributor', draft: 303, pending: 303, publish: 403, schedule: 403 },
  ] as const
  for (const row of table) {
    test(`a ${row.role} on a new article: save draft ${row.draft}, submit ${row.pending}, publish ${row.publish}, schedule ${row.schedule}`, async (ctx) => {
      const t = await testSite(ctx)
      const { browser } = await signedInAs(t, row.role)
      await browser.get('/admin/articles/new')
      const future = new Date(t.now.getTime() + 86_400_000).toISOString().slice(0, 16)
      for (const action of ['draft', 'pending', 'publish', 'schedule'] as const) {
        await browser.get('/admin/articles/new')
        const res = await browser.post('/admin/articles/new', { ...article({ title: `A ${action} by a ${row.role}` }), action, publish_at: future })
        assert.equal(res.status, row[action], `${row.role} ${action}: ${res.html.slice(0, 200)}`)
        if (res.status === 403) assert.match(res.html, /Contributors cannot publish or schedule; submit the article for review/)
      }
      assert.equal(await publishedTotal(t), row.publish === 303 ? 1 : 0, 'only a publish makes a story readers see (the scheduled one is not due yet)')
    })
  }

  test("an author cannot open another's article for saving; an editor can, and sets the byline", async (ctx) => {
    const t = await testSite(ctx)
    const { browser: jane } = await signedInAs(t, 'author')
    await jane.get('/admin/articles/new')
    const id = await idFrom((await jane.post('/admin/articles/new', { ...article(), action: 'publish' })).location)

    const { browser: other } = await signedInAs(t, 'author')
    const page = await other.get(`/admin/articles/${id}`)
    const refused = await other.post(`/admin/articles/${id}`, { ...article({ title: 'Taken over' }), action: 'draft', revision: '' })
    assert.equal(refused.status, 403)
    assert.match(refused.html, /may change only your own articles; this one is by Author /)
    assert.ok(page)
    assert.equal((await t.site.services.articles.byId(id))!.title, 'Council backs the new ferry')

    const { browser: editor } = await signedInAs(t, 'editor')
    const opened = await editor.get(`/admin/articles/${id}`)
    const revision = /name="revision" value="([^"]+)"/.exec(opened.html)![1]!
    const saved = await editor.post(`/admin/articles/${id}`, { ...article({ title: 'Council backs the new ferry, 9 to 2', authors: 'Rosa Newsdesk' }), action: 'publish', revision })
    assert.equal(saved.status, 303)
    const after = (await t.site.services.articles.byId(id))!
    assert.equal(after.title, 'Council backs the new ferry, 9 to 2')
    assert.deepEqual(after.authors.map((a) => a.displayName), ['Rosa Newsdesk'])
  })

  test('a contributor cannot change a piece once it is published', async (ctx) => {
    const t = await testSite(ctx)
    const { user, browser } = await signedInAs(t, 'contributor')
    await browser.get('/admin/articles/new')
    const id = await idFrom((await browser.post('/admin/articles/new', { ...article(), action: 'pending' })).location)
    assert.equal((await t.site.services.articles.byId(id))!.status, 'pending')
    const { browser: editor } = await signedInAs(t, 'editor')
    await editor.get('/admin/articles')
    assert.equal((await editor.post('/admin/articles/bulk', { ids: [String(id)], action: 'publish' })).status, 303)
    assert.equal((await t.site.services.articles.byId(id))!.status, 'published')
    await browser.get(`/admin/articles/${id}`)
    const res = await browser.post(`/admin/articles/${id}`, { ...article({ title: 'Sneaky change' }), action: 'draft' })
    assert.equal(res.status, 403)
    assert.equal((await t.site.services.articles.byId(id))!.title, 'Council backs the new ferry')
    assert.ok(user)
  })
})

describe('saves that cannot be made', () => {
  test('a scheduled date in the past, a slug another article has, and a stale save: each says why, keeps the text, changes nothing', async (ctx) => {
    const t = await testSite(ctx)
    const existing = await t.factories.article({ title: 'Harbour wall repaired', slug: 'harbour-wall' })
    const { browser } = await signedInAs(t, 'editor')
    await browser.get('/admin/articles/new')

    const past = await browser.post('/admin/articles/new', { ...article(), action: 'schedule', publish_at: '2020-01-01T09:00' })
    assert.equal(past.status, 400)
    assert.match(past.html, /Publish at: 2020-01-01 09:00 UTC has passed/)
    assert.match(past.html, /The ferry runs from May\./, 'the body written stays in the form')

    const clash = await browser.post('/admin/articles/new', { ...article({ slug: 'harbour-wall' }), action: 'draft' })
    assert.equal(clash.status, 409)
    assert.match(clash.html, /slug: &quot;harbour-wall&quot; is already used by another article/)
    assert.equal((await t.site.services.articles.byId(existing.id))!.title, 'Harbour wall repaired')

    const { browser: second } = await signedInAs(t, 'editor')
    const mine = await browser.get(`/admin/articles/${existing.id}`)
    const theirs = await second.get(`/admin/articles/${existing.id}`)
    const rev = (p: { html: string }) => /name="revision" value="([^"]+)"/.exec(p.html)![1]!
    t.now = new Date(t.now.getTime() + 60_000)
    assert.equal((await second.post(`/admin/articles/${existing.id}`, { ...article({ title: 'Harbour wall repaired at last', slug: 'harbour-wall' }), action: 'publish', revision: rev(theirs) })).status, 303)
    const stale = await browser.post(`/admin/articles/${existing.id}`, { ...article({ title: 'Harbour wall: my version', slug: 'harbour-wall' }), action: 'publish', revision: rev(mine) })
    assert.equal(stale.status, 409)
    assert.match(stale.html, /Editor \w+ saved this article at \d\d:\d\d UTC .*since you opened it/)
    assert.match(stale.html, /value="Harbour wall: my version"/)
    assert.equal((await t.site.services.articles.byId(existing.id))!.title, 'Harbour wall repaired at last')
  })

  test('a slug change keeps the old address answering with a 301', async (ctx) => {
    const t = await testSite(ctx)
    const story = await t.factories.article({ title: 'Old headline', slug: 'old-headline' })
    const { browser } = await signedInAs(t, 'editor')
    const page = await browser.get(`/admin/articles/${story.id}`)
    const revision = /name="revision" value="([^"]+)"/.exec(page.html)![1]!
    assert.equal((await browser.post(`/admin/articles/${story.id}`, { ...article({ title: 'New headline', slug: 'new-headline' }), action: 'publish', revision })).status, 303)
    const old = await t.get(story.path)
    assert.equal(old.status, 301)
    assert.match(old.headers.get('location')!, /\/new-headline\/$/)
  })
})

describe('the moderation queue without JavaScript', () => {
  test('approve by form, bulk spam, edit a comment, and reply as staff: readers see the edit and the reply', async (ctx) => {
    const t = await testSite(ctx)
    const story = await t.factories.article()
    const first = await t.factories.heldComment({ article: story, content: 'Call 0800 000 000 for cheap loans.' })
    const second = await t.factories.heldComment({ article: story, content: 'Another advert.' })
    const third = await t.factories.heldComment({ article: story, content: 'A real question: when does the ferry start?' })
    const { browser } = await signedInAs(t, 'editor')
    const queue = await browser.get('/admin/comments')
    for (const c of [first, second, third]) assert.match(queue.html, new RegExp(`id="comment-${c.id}"`))
    assert.match(queue.html, /Pending \(<span data-count="pending">3<\/span>\)/)

    const approved = await browser.post(`/admin/comments/${third.id}/moderate`, { status: 'approved', tab: 'pending' })
    assert.equal(approved.status, 303)
    const bulk = await browser.post('/admin/comments/bulk', { ids: [String(first.id), String(second.id)], status: 'spam', tab: 'pending' })
    assert.equal(bulk.status, 303)
    assert.match(bulk.location!, /done=2%20comments%20spam|done=2 comments spam/)

    await browser.get(`/admin/comments?status=approved&edit=${third.id}`)
    assert.equal((await browser.post(`/admin/comments/${third.id}/edit`, { content: 'A real question: when does the ferry start running?', tab: 'approved' })).status, 303)
    assert.equal((await browser.post(`/admin/comments/${third.id}/reply`, { content: 'From the first of May, says the council.', tab: 'approved' })).status, 303)

    const page = await (await t.get(story.path)).text()
    assert.match(page, /when does the ferry start running\?/)
    assert.match(page, /From the first of May, says the council\./)
    assert.doesNotMatch(page, /cheap loans/)

    const refused = await browser.post(`/admin/comments/${first.id}/reply`, { content: 'Replying to spam', tab: 'spam' })
    assert.equal(refused.status, 400)
    assert.match(refused.html, /Approve the comment before replying/)
  })

  test('the e-mail link to a comment opens the tab it is in; authors and contributors are kept out', async (ctx) => {
    const t = await testSite(ctx)
    const story = await t.factories.article()
    const held = await t.factories.heldComment({ article: story })
    const { browser } = await signedInAs(t, 'editor')
    await browser.get('/admin/comments')
    await browser.post(`/admin/comments/${held.id}/moderate`, { status: 'spam' })
    const linked = await browser.get(`/admin/comments?comment=${held.id}`)
    assert.match(linked.html, /aria-current="page">Spam/)
    assert.match(linked.html, new RegExp(`id="comment-${held.id}"`))
    for (const role of ['author', 'contributor'] as const) {
      const { browser: other } = await signedInAs(t, role)
      const res = await other.get('/admin/comments')
      assert.equal(res.status, 403)
      assert.match(res.html, new RegExp(`Your role \\(${role}\\) may not moderate comments`))
    }
  })
})

describe('the dashboard', () => {
  test('drafts, pieces waiting for review, scheduled ones, held comments, and 30 days of comments as a chart and a table', async (ctx) => {
    const t = await testSite(ctx)
    await t.publish({ title: 'A draft in progress', status: 'draft' })
    await t.publish({ title: 'Waiting for an editor', status: 'pending' })
    await t.publish({ title: 'Goes out tomorrow', status: 'scheduled', publishedAt: new Date(t.now.getTime() + 86_400_000) })
    const story = await t.factories.article()
    await t.factories.heldComment({ article: story })
    await t.factories.heldComment({ article: story })
    const { browser } = await signedInAs(t, 'editor')
    const page = await browser.get('/admin/')
    for (const title of ['A draft in progress', 'Waiting for an editor', 'Goes out tomorrow']) assert.match(page.html, new RegExp(title))
    assert.match(page.html, /<strong>2<\/strong> awaiting moderation/)
    assert.match(page.html, /<svg viewBox="0 0 600 180" role="img"/)
    assert.match(page.html, /Comments per day, last 30 days: 0 approved, 2 held, 0 spam/)
    const today = t.now.toISOString().slice(0, 10)
    assert.match(page.html, new RegExp(`<th scope="row">${today}</th><td>0</td><td>2</td><td>0</td>`))
  })
})

describe('what the newsroom shows to whom', () => {
  test("authors and contributors list only their own articles; editors list everyone's", async (ctx) => {
    const t = await testSite(ctx)
    const { browser: editor } = await signedInAs(t, 'editor')
    await editor.get('/admin/articles/new')
    await editor.post('/admin/articles/new', { ...article({ title: 'Embargoed: the budget leak' }), action: 'draft' })
    const { browser: author } = await signedInAs(t, 'author')
    await author.get('/admin/articles/new')
    await author.post('/admin/articles/new', { ...article({ title: 'My own piece on the ferry' }), action: 'draft' })
    const theirs = await author.get('/admin/articles?author=1')
    assert.match(theirs.html, /My own piece on the ferry/)
    assert.doesNotMatch(theirs.html, /budget leak/)
    const all = await editor.get('/admin/articles')
    assert.match(all.html, /budget leak/)
    assert.match(all.html, /My own piece on the ferry/)
  })

  test('a notice in the address is shown only when it is one the queue itself writes', async (ctx) => {
    const t = await testSite(ctx)
    const { browser } = await signedInAs(t, 'editor')
    const forged = await browser.get('/admin/comments?done=' + encodeURIComponent('your account is locked, call 0800 000 000'))
    assert.doesNotMatch(forged.html, /call 0800/)
    const real = await browser.get('/admin/comments?done=' + encodeURIComponent('3 comments spam'))
    assert.match(real.html, /Done: 3 comments spam\./)
  })
})

describe('revisions and source notes in the editor', () => {
  test('each save is a revision; two are compared word by word; an old one is restored as a new revision', async (ctx) => {
    const t = await testSite(ctx)
    const { browser } = await signedInAs(t, 'editor')
    await browser.get('/admin/articles/new')
    const id = await idFrom((await browser.post('/admin/articles/new', { ...article({ title: 'Ferry fares rise' }), action: 'draft' })).location)
    const page = await browser.get(`/admin/articles/${id}`)
    const revision = /name="revision" value="([^"]+)"/.exec(page.html)![1]!
    await browser.post(`/admin/articles/${id}`, { ...article({ title: 'Ferry fares rise by a fifth' }), action: 'draft', revision })
    const list = await browser.get(`/admin/articles/${id}/revisions?from=1&to=2`)
    assert.equal(list.status, 200)
    assert.match(list.html, /Changes from revision 1 to 2/)
    assert.match(list.html, /<ins>[^<]*by a fifth[^<]*<\/ins>/)
    const restored = await browser.post(`/admin/articles/${id}/revisions/1/restore`, {})
    assert.equal(restored.status, 303)
    const after = (await t.site.services.articles.byId(id))!
    assert.equal(after.title, 'Ferry fares rise')
    assert.equal(after.revision, 3)
    const { browser: stranger } = await signedInAs(t, 'author')
    assert.equal((await stranger.get(`/admin/articles/${id}/revisions`)).status, 403)
  })

  test("source notes are added and read in the editor by the article's people, never shown to readers; without a key the editor says they are off", async (ctx) => {
    const key = Buffer.alloc(32, 7).toString('hex')
    const t = await testSite(ctx, { env: { BROADSHEET_SECRET_KEY: key } })
    const { browser } = await signedInAs(t, 'editor')
    await browser.get('/admin/articles/new')
    const id = await idFrom((await browser.post('/admin/articles/new', { ...article(), action: 'publish' })).location)
    await browser.get(`/admin/articles/${id}`)
    assert.equal((await browser.post(`/admin/articles/${id}/notes`, { text: 'Source: the harbourmaster, reachable on the quay after 6.' })).status, 303)
    assert.match((await browser.get(`/admin/articles/${id}`)).html, /the harbourmaster, reachable on the quay/)
    const story = (await t.site.services.articles.byId(id))!
    assert.doesNotMatch(await (await t.get(t.pathOf(story))).text(), /harbourmaster/)

    const plain = await testSite(ctx)
    const { browser: other } = await signedInAs(plain, 'editor')
    await other.get('/admin/articles/new')
    const otherId = await idFrom((await other.post('/admin/articles/new', { ...article(), action: 'draft' })).location)
    assert.match((await other.get(`/admin/articles/${otherId}`)).html, /Source notes are off/)
  })
})
