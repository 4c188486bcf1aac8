/**
 * The admin articles API as a newsroom uses it, over real HTTP: writing, reviewing and
 * publishing, two editors at once, slugs that collide, revisions with diffs and restores.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { sql } from 'kysely'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const json = async (res: Response) => (await res.json()) as any

function client(t: TestSite, token: string) {
  return {
    create: (body: unknown) => t.api('/api/v1/admin/articles', { method: 'POST', token, body }),
    open: (id: number) => t.api(`/api/v1/admin/articles/${id}`, { token }),
    update: (id: number, body: unknown) => t.api(`/api/v1/admin/articles/${id}`, { method: 'PATCH', token, body }),
    act: (id: number, action: string, body: unknown = {}) => t.api(`/api/v1/admin/articles/${id}/${action}`, { method: 'POST', token, body }),
    get: (path: string) => t.api(`/api/v1/admin/articles/${path}`, { token }),
  }
}

for (const dialect of DIALECTS) {
  describe(`the admin articles API on ${dialect}`, () => {
    test('a contributor writes and submits a story; an editor publishes it and readers see it under the contributor’s byline', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const contributor = await t.factories.staff('contributor', { name: 'Casey Stringer' })
      const editor = await t.factories.staff('editor')
      const asContributor = client(t, contributor.token)
      const draft = await json(await asContributor.create({ title: 'Ferry strike ends', standfirst: 'Crews return on Monday.', body: 'Talks ended at **dawn**.' }))
      assert.equal(draft.status, 'draft')
      assert.deepEqual(draft.authors.map((a: any) => a.name), ['Casey Stringer'], 'the contributor signs their own draft')
      assert.equal(draft.url, null)

      const refused = await asContributor.act(draft.id, 'publish')
      assert.equal(refused.status, 403)
      assert.match((await json(refused)).error.message, /submit the article for review/)
      const submitted = await json(await asContributor.act(draft.id, 'submit'))
      assert.equal(submitted.status, 'pending')
      assert.equal((await t.get('/api/v1/articles/ferry-strike-ends')).status, 404, 'a piece awaiting review is not public')

      const published = await json(await client(t, editor.token).act(draft.id, 'publish', { base_revision: submitted.revision }))
      assert.equal(published.status, 'published')
      assert.ok(published.url.endsWith('/ferry-strike-ends/'))
      const page = await (await t.get(new URL(published.url).pathname)).text()
      assert.match(page, /Talks ended at <strong>dawn<\/strong>\./)
      assert.match(page, /Casey Stringer/)
      const edit = await asContributor.update(draft.id, { title: 'Ferry strike over', base_revision: published.revision })
      assert.equal(edit.status, 403, 'once published, the contributor can no longer change it')
    })

    test('two editors open the same article and both save: the second is told who saved and when, and keeps nothing half-saved', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const jane = await t.factories.staff('editor', { name: 'Jane Roe' })
      const sam = await t.factories.staff('editor', { name: 'Sam Poe' })
      t.now = new Date('2026-12-02T10:00:00Z')
      const created = await json(await client(t, jane.token).create({ title: 'Budget vote tonight', body: 'Councillors meet at seven.' }))
      const opened = await json(await client(t, sam.token).open(created.id))
      t.now = new Date('2026-12-02T10:42:00Z')
      const first = await client(t, jane.token).update(created.id, { title: 'Budget vote delayed', base_revision: opened.revision })
      assert.equal(first.status, 200)
      t.now = new Date('2026-12-02T10:45:00Z')
      const second = await client(t, sam.token).update(created.id, { title: 'Budget passes', body: 'It passed.', base_revision: opened.revision })
      assert.equal(second.status, 409)
      const { error } = await json(second)
      assert.equal(error.code, 'stale_revision')
      assert.match(error.message, /^Jane Roe saved this article at 10:42 UTC on 2026-12-02 since you opened it/)
      const now = await json(await client(t, sam.token).open(created.id))
      assert.deepEqual([now.title, now.body, now.revision], ['Budget vote delayed', 'Councillors meet at seven.', 2])
      const noBase = await client(t, sam.token).update(created.id, { title: 'No base' })
      assert.equal(noBase.status, 400, 'an update must say which revision it started from')
      assert.match((await json(noBase)).error.message, /^base_revision: /)
    })

    test('a new article whose slug is taken is refused; the article that has the slug is untouched', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const author = await t.factories.staff('author')
      const { article } = await t.publish({ title: 'Flood barrier holds', body: 'The original.' })
      const res = await client(t, author.token).create({ title: 'Flood barrier holds', body: 'Overwritten?' })
      assert.equal(res.status, 409)
      assert.deepEqual((await json(res)).error, { code: 'slug_taken', message: 'slug: "flood-barrier-holds" is already used by another article' })
      const kept = await t.site.services.articles.forEditing(article.id)
      assert.deepEqual([kept!.body, kept!.revision], ['The original.', 1])
      const bad = await client(t, author.token).create({ title: '' })
      assert.equal(bad.status, 400)
      assert.equal((await json(bad)).error.message, 'title: is required')
    })

    test('a slug typed with capitals, a doubled or trailing hyphen is tidied, not refused; one with other characters is refused', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const author = await t.factories.staff('author')
      const res = await client(t, author.token).create({ title: 'Barrier holds', slug: ' Flood-Barrier--Holds- ' })
      assert.equal(res.status, 201)
      assert.equal((await json(res)).slug, 'flood-barrier-holds')
      const bad = await client(t, author.token).create({ title: 'Barrier holds again', slug: 'flood barrier/holds' })
      assert.equal(bad.status, 400)
      assert.match((await json(bad)).error.message, /^slug: /)
    })

    test('revisions are listed, diffed and restored over the API', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor', { name: 'Ed Itor' })
      const api = client(t, editor.token)
      const v1 = await json(await api.create({ title: 'Library hours cut', body: 'Branches close at five.', tags: ['Libraries'] }))
      const v2 = await json(await api.update(v1.id, { title: 'Library hours kept', body: 'Branches close at eight.', base_revision: v1.revision }))
      const { revisions } = await json(await api.get(`${v1.id}/revisions`))
      assert.deepEqual(revisions.map((r: any) => [r.number, r.title, r.saved_by.name]), [[2, 'Library hours kept', 'Ed Itor'], [1, 'Library hours cut', 'Ed Itor']])
      const diff = await json(await api.get(`${v1.id}/revisions/1/diff/2`))
      assert.deepEqual(diff.changes.map((c: any) => c.field), ['title', 'body'], 'the slug stays as it was')
      assert.deepEqual(diff.changes[0].parts, [
        { kind: 'same', text: 'Library hours ' },
        { kind: 'removed', text: 'cut' },
        { kind: 'added', text: 'kept' },
      ])
      const restored = await json(await api.act(v1.id, 'revisions/1/restore', { base_revision: v2.revision }))
      assert.deepEqual([restored.title, restored.body, restored.revision, restored.status], ['Library hours cut', 'Branches close at five.', 3, 'draft'])
      assert.equal((await api.get(`${v1.id}/revisions/1/diff/7`)).status, 404)
      const gone = await t.api(`/api/v1/admin/articles/${v1.id}`, { method: 'DELETE', token: editor.token, headers: { 'content-type': 'text/plain' } })
      assert.equal(gone.status, 204)
      assert.equal((await api.open(v1.id)).status, 404)
    })

    test('a deleted article is gone from its page, the feeds and the search index', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const story = await t.factories.article({ title: 'Quarry expansion approved', body: 'The quarry grows westward.' })
      assert.match(await (await t.get('/search?q=quarry')).text(), /Quarry expansion approved/)
      const res = await t.api(`/api/v1/admin/articles/${story.id}`, { method: 'DELETE', token: editor.token, headers: { 'content-type': 'text/plain' } })
      assert.equal(res.status, 204)
      assert.equal((await t.get(story.path)).status, 404)
      assert.deepEqual((await json(await t.get('/feed.json'))).items, [])
      assert.doesNotMatch(await (await t.get('/search?q=quarry')).text(), /Quarry expansion approved/)
      const left = await sql<{ n: number }>`select count(*) as n from article_search`.execute(t.site.db)
      assert.equal(Number(left.rows[0]!.n), 0, 'its text is no longer in the search index')
    })

    test('the newsroom list: editors see everyone’s articles in every state, authors and contributors their own', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const author = await t.factories.staff('author')
      const contributor = await t.factories.staff('contributor')
      await client(t, author.token).create({ title: 'Author draft' })
      await client(t, contributor.token).create({ title: 'Contributor pitch', status: 'pending' })
      t.now = new Date(t.now.getTime() + 1000)
      await client(t, editor.token).create({ title: 'Editor piece', status: 'published' })
      const titles = async (token: string, query = '') => (await json(await t.api(`/api/v1/admin/articles${query}`, { token }))).articles.map((a: any) => a.title)
      assert.deepEqual(await titles(editor.token), ['Editor piece', 'Contributor pitch', 'Author draft'])
      assert.deepEqual(await titles(editor.token, '?status=pending'), ['Contributor pitch'], 'the review queue')
      assert.deepEqual(await titles(editor.token, `?author=${author.id}`), ['Author draft'])
      assert.deepEqual(await titles(author.token), ['Author draft'])
      assert.deepEqual(await titles(contributor.token), ['Contributor pitch'])
      const peek = await t.api(`/api/v1/admin/articles?author=${author.id}`, { token: contributor.token })
      assert.equal(peek.status, 403)
      assert.equal((await t.api('/api/v1/admin/articles?status=lost', { token: editor.token })).status, 400)
    })
  })
}
