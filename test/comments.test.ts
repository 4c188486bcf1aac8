import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { buildServer } from '../src/web/server.ts'
import { commentIdFrom, formOf, postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

for (const dialect of DIALECTS) {
  describe(`reader comments over HTTP on ${dialect}`, () => {
    let t: TestSite
    let path: string
    let articleId: number
    let editorToken: string
    let authorToken: string
    const api = (p: string, init: RequestInit & { token?: string } = {}) =>
      t.get(p, {
        ...init,
        headers: { 'content-type': 'application/json', ...(init.token && { authorization: `Bearer ${init.token}` }), ...init.headers },
      })
    const moderate = (id: number, status: string) => api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', token: editorToken, body: JSON.stringify({ status }) })

    before(async () => {
      t = await testSite({ dialect })
      const { article } = await t.publish({ title: 'Inmates sent to the front', publishedAt: new Date(t.now.getTime() - 86_400_000) })
      articleId = article.id
      path = t.pathOf(article)
      editorToken = await t.staffToken('editor')
      authorToken = await t.staffToken('author')
    })
    after(() => t.close())

    test('a first-time commenter is held, and appears only after an editor approves', async () => {
      const res = await postForm(t, path, { author: 'Ann Reader', email: 'ann@example.org', content: 'The families deserve answers about where these men went.' })
      assert.equal(res.status, 303)
      assert.match(res.headers.get('location')!, /\?comment=held#respond$/)
      const held = await (await t.get(`${path}?comment=held`)).text()
      assert.match(held, /Your comment is awaiting moderation/)
      assert.doesNotMatch(held, /The families deserve answers/)
      assert.match(held, /Be the first to comment/)

      const queue = (await (await api('/api/v1/admin/comments?status=pending', { token: editorToken })).json()) as any
      const comment = queue.comments.find((c: any) => c.author === 'Ann Reader')
      assert.deepEqual(comment.reasons.slice(-1), ['first comment from this e-mail address'])
      assert.equal((await moderate(comment.id, 'approved')).status, 200)

      const page = await (await t.get(path)).text()
      assert.match(page, /The families deserve answers about where these men went\./)
      assert.match(page, /<h2 id="comments-title">1 Comment<\/h2>/)
      assert.match(page, new RegExp(`id="comment-${comment.id}"`))
      assert.doesNotMatch(page, /ann@example\.org/, 'the e-mail address is never shown')
    })

    test('a returning commenter is approved at once and lands on their comment', async () => {
      const res = await postForm(t, path, { author: 'Ann Reader', email: 'ann@example.org', content: 'Following up: the ministry has now replied.' })
      assert.equal(res.status, 303)
      const id = commentIdFrom(res.headers.get('location'))
      assert.ok(id, res.headers.get('location')!)
      assert.match(await (await t.get(path)).text(), /<h2 id="comments-title">2 Comments<\/h2>/)
    })

    test('replies thread under their parent, up to the configured depth', async () => {
      await t.settings({ commentThreadDepth: 2 })
      const top = (await (await api(`/api/v1/articles/${articleId}/comments`)).json()) as any
      const parentId = top.comments[0].id
      const reply = await postForm(t, path, { author: 'Ann Reader', email: 'ann@example.org', content: 'A reply to the first comment.', parent_id: String(parentId) })
      const replyId = commentIdFrom(reply.headers.get('location'))!
      const thread = (await (await api(`/api/v1/articles/${articleId}/comments`)).json()) as any
      assert.equal(thread.comments[0].replies[0].id, replyId)
      assert.equal(thread.comments[0].replies[0].parent_id, parentId)
      assert.equal('author_email' in thread.comments[0], false)
      const tooDeep = await postForm(t, path, { author: 'Ann Reader', email: 'ann@example.org', content: 'Too deep a reply.', parent_id: String(replyId) })
      assert.equal(tooDeep.status, 400)
      assert.match(await tooDeep.text(), /replies may nest at most 2 deep/)
      await t.settings({ commentThreadDepth: 5 })
    })

    test('more links than allowed are held; a disallowed key goes to the trash', async () => {
      const links = await postForm(t, path, { email: 'ann@example.org', content: 'Sources: https://a.example/1 https://b.example/2 https://c.example/3' })
      assert.match(links.headers.get('location')!, /comment=held/)
      await t.settings({ disallowedKeys: ['casino'] })
      const blocked = await postForm(t, path, { email: 'ann@example.org', content: 'Best online casino bonus' })
      assert.match(blocked.headers.get('location')!, /comment=held/, 'the poster is not told it was trashed')
      const trash = (await (await api('/api/v1/admin/comments?status=trash', { token: editorToken })).json()) as any
      assert.deepEqual(trash.comments[0].reasons, ['contains a disallowed key: "casino"'])
      const heldQueue = (await (await api('/api/v1/admin/comments?status=pending', { token: editorToken })).json()) as any
      assert.ok(heldQueue.comments.some((c: any) => c.reasons.includes('3 links (more than 2 are held for moderation)')))
      await t.settings({ disallowedKeys: [] })
    })

    test('a filled honeypot is marked spam, and the poster is only told it awaits moderation', async () => {
      const res = await api(`/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        body: JSON.stringify({ author: 'Helpful Person', email: 'helpful@example.org', content: 'Nice article.', contact_phone: '+1 555 0100' }),
      })
      assert.equal(res.status, 201)
      const body = (await res.json()) as any
      assert.deepEqual(Object.keys(body).sort(), ['id', 'status'])
      assert.equal(body.status, 'pending')
      const spam = (await (await api('/api/v1/admin/comments?status=spam', { token: editorToken })).json()) as any
      const c = spam.comments.find((x: any) => x.id === body.id)
      assert.match(c.reasons.join(' | '), /hidden form field that only robots fill in/)
    })

    test("a moderator's spam decision teaches the filter: the same text is caught next time", async () => {
      const text = 'Lovely reporting on the river this week, thanks to the whole team.'
      const first = (await (await api(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body: JSON.stringify({ author: 'Dealer', email: 'dealer@example.org', content: text }) })).json()) as any
      const queued = (await (await api('/api/v1/admin/comments?status=pending', { token: editorToken })).json()) as any
      assert.ok(queued.comments.some((c: any) => c.id === first.id), 'held as a first comment, not as spam')
      assert.equal((await moderate(first.id, 'spam')).status, 200)
      const again = (await (await api(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body: JSON.stringify({ author: 'Other Dealer', email: 'other@example.org', content: text }) })).json()) as any
      const spam = (await (await api('/api/v1/admin/comments?status=spam', { token: editorToken })).json()) as any
      assert.ok(spam.comments.some((c: any) => c.id === again.id), 'the identical comment is marked spam')
      const history = (await (await api(`/api/v1/admin/comments/${first.id}/history`, { token: editorToken })).json()) as any
      assert.equal(history.history[0].from_status, 'pending')
      assert.equal(history.history[0].to_status, 'spam')
      assert.match(history.history[0].actor, /^user:\d+$/)
      assert.ok(history.history[0].at)
    })

    test('bulk moderation changes many comments at once', async () => {
      const ids: number[] = []
      for (const n of [1, 2]) ids.push(((await (await api(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body: JSON.stringify({ author: `Bulk ${n}`, email: `bulk${n}@example.org`, content: `Bulk comment ${n}` }) })).json()) as any).id)
      const res = await api('/api/v1/admin/comments/bulk', { method: 'POST', token: editorToken, body: JSON.stringify({ ids, status: 'trash' }) })
      assert.equal(res.status, 200)
      assert.deepEqual(((await res.json()) as any).updated.map((c: any) => c.status), ['trash', 'trash'])
    })

    test('the moderation API wants a token with the moderator capability', async () => {
      assert.equal((await api('/api/v1/admin/comments')).status, 401)
      assert.equal((await api('/api/v1/admin/comments', { token: 'bs_' + 'x'.repeat(32) })).status, 401)
      assert.equal((await api('/api/v1/admin/comments', { token: authorToken })).status, 403)
      assert.equal((await api('/api/v1/admin/comments?status=nonsense', { token: editorToken })).status, 400)
      assert.equal((await api('/api/v1/admin/comments/999999', { method: 'PATCH', token: editorToken, body: '{"status":"approved"}' })).status, 404)
    })

    test('the commenter cookie is set only with consent, and the page that uses it is never shared-cached', async () => {
      const without = await postForm(t, path, { email: 'ann@example.org', content: 'No cookie for me please.' })
      assert.equal(without.headers.get('set-cookie'), null)
      const withConsent = await postForm(t, path, { email: 'ann@example.org', content: 'Remember me please.', remember: 'yes' })
      const cookie = withConsent.headers.get('set-cookie')!
      assert.match(cookie, /^broadsheet_commenter=.*HttpOnly; SameSite=Lax/)
      const page = await t.get(path, { headers: { cookie: cookie.split(';')[0]! } })
      assert.equal(page.headers.get('cache-control'), 'private, no-store')
      assert.match(await page.text(), /name="email" maxlength="254" autocomplete="email" required value="ann@example.org"/)
    })

    test('bad input gets a clear 4xx and changes nothing', async () => {
      const before = ((await (await api('/api/v1/admin/comments', { token: editorToken })).json()) as any).total
      const hidden = await formOf(t, path)
      const cases: [Record<string, string>, number, RegExp][] = [
        [{ content: '' }, 400, /content: is required/],
        [{ content: 'x'.repeat(10_001) }, 400, /content: must be at most 10,000 characters/],
        [{ author: '' }, 400, /author: is required/],
        [{ author: 'n'.repeat(101) }, 400, /author: must be at most 100/],
        [{ email: 'not-an-address' }, 400, /email: is not a valid e-mail address/],
        [{ url: 'javascript:alert(1)' }, 400, /url: must be an http/],
        [{ article_id: '999999' }, 404, /no article/i],
        [{ article_id: 'abc' }, 400, /article_id: must be a positive whole number/],
        [{ parent_id: '999999' }, 400, /parent_id: the comment you replied to is not on this article/],
        [{ render_token: `${hidden.render_token!.slice(0, -3)}AAA` }, 400, /has expired or was not served by this site/],
        [{ render_token: '1000000000.1.' + 'A'.repeat(43) }, 400, /has expired or was not served by this site/],
      ]
      for (const [fields, status, message] of cases) {
        const res = await postForm(t, path, { email: 'ann@example.org', content: 'Valid content here.', ...fields })
        assert.equal(res.status, status, JSON.stringify(fields))
        assert.match(await res.text(), message, JSON.stringify(fields))
      }
      const expiredForm = await formOf(t, path)
      t.now = new Date(t.now.getTime() + 8 * 86_400_000)
      const expired = await t.get('/comments', { method: 'POST', body: new URLSearchParams({ ...expiredForm, author: 'A', email: 'a@example.org', content: 'Late.' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(expired.status, 400)
      for (const body of ['%%%&&&=%E0%A4%A', 'article_id[]=1&article_id[]=2&content=%C3%28', '\u0000\u0001']) {
        const res = await t.get('/comments', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        assert.ok(res.status >= 400 && res.status < 500, `${body}: ${res.status}`)
      }
      const notJson = await t.get(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body: '{"author":', headers: { 'content-type': 'application/json' } })
      assert.equal(notJson.status, 400)
      assert.equal(((await notJson.json()) as any).error.code, 'invalid_input')
      const after = ((await (await api('/api/v1/admin/comments', { token: editorToken })).json()) as any).total
      assert.equal(after, before)
    })

    test('the same comment twice is refused as a duplicate', async () => {
      await postForm(t, path, { email: 'ann@example.org', content: 'Saying this exactly once.' })
      const res = await postForm(t, path, { email: 'ann@example.org', content: 'Saying this exactly once.' })
      assert.equal(res.status, 409)
      assert.match(await res.text(), /already posted this comment/)
    })

    test('closed comments are refused with a message, and the form disappears', async () => {
      const { article } = await t.publish({ title: 'Closed for comments', commentsOpen: false })
      const res = await api(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: JSON.stringify({ author: 'A', email: 'a@example.org', content: 'Hi' }) })
      assert.equal(res.status, 403)
      assert.equal(((await res.json()) as any).error.message, 'Comments on this article are closed.')
      await t.settings({ closeCommentsAfterDays: 1 })
      const old = await api(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body: JSON.stringify({ author: 'A', email: 'a@example.org', content: 'Late comment' }) })
      assert.equal(old.status, 403)
      assert.match(await (await t.get(path)).text(), /Comments are closed\./)
      await t.settings({ closeCommentsAfterDays: 0 })
    })

    test('the per-IP limit answers 429 with Retry-After, and holds across app processes', async () => {
      await t.settings({ commentRateLimitPerMinute: 3 })
      const second = await buildServer(t.site, { logLevel: 'silent' })
      const secondUrl = await second.listen({ port: 0, host: '127.0.0.1' })
      try {
        t.now = new Date(Math.ceil(t.now.getTime() / 60_000) * 60_000 + 1000)
        const send = (base: string, n: number) =>
          fetch(`${base}/api/v1/articles/${articleId}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ author: 'Fast', email: 'fast@example.org', content: `Quick comment ${n} ${Math.random()}` }) })
        assert.equal((await send(t.url, 1)).status, 201)
        assert.equal((await send(secondUrl, 2)).status, 201)
        assert.equal((await send(t.url, 3)).status, 201)
        const limited = await send(secondUrl, 4)
        assert.equal(limited.status, 429)
        assert.ok(Number(limited.headers.get('retry-after')) > 0)
        assert.match(((await limited.json()) as any).error.message, /commenting too quickly/)
      } finally {
        await second.close()
        await t.settings({ commentRateLimitPerMinute: 10 })
        t.now = new Date(t.now.getTime() + 120_000)
      }
    })
  })
}
