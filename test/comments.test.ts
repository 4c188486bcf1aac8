import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import { buildServer } from '../src/web/server.ts'
import { formOf, postForm } from './support/comments.ts'
import { DIALECTS, type Dialect } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const root = path.resolve(import.meta.dirname, '..')

/** A site with one story a day old, and its moderator's bearer token. */
async function storySite(ctx: TestContext, dialect: Dialect) {
  const t = await testSite(ctx, { dialect })
  const article = await t.factories.article({ title: 'Inmates sent to the front' })
  const editor = await t.factories.moderator()
  const queue = async (status?: string) => (await (await t.api(`/api/v1/admin/comments${status ? `?status=${status}` : ''}`, { token: editor.token })).json()) as any
  const moderate = (id: number, status: string) => t.api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', token: editor.token, body: { status } })
  const postJson = (body: Record<string, unknown>, articleId = article.id) => t.api(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body })
  return { t, article, editor, queue, moderate, postJson }
}

for (const dialect of DIALECTS) {
  describe(`reader comments over HTTP on ${dialect}`, () => {
    test('a first-time commenter is held, and appears only after an editor approves', async (ctx) => {
      const { t, article, queue, moderate } = await storySite(ctx, dialect)
      const res = await postForm(t, article.path, { author: 'Ann Reader', email: 'ann@example.org', content: 'The families deserve answers about where these men went.' })
      assert.equal(res.status, 303)
      assert.match(res.headers.get('location')!, /\?comment=held&token=[^#]+#respond$/)
      const held = await (await t.get(`${article.path}?comment=held`)).text()
      assert.match(held, /Your comment is awaiting moderation/)
      assert.doesNotMatch(held, /The families deserve answers/)
      assert.match(held, /Be the first to comment/)

      const comment = (await queue('pending')).comments.find((c: any) => c.author === 'Ann Reader')
      assert.deepEqual(comment.reasons.slice(-1), ['first comment from this e-mail address'])
      assert.equal((await moderate(comment.id, 'approved')).status, 200)

      const page = await (await t.get(article.path)).text()
      assert.match(page, /The families deserve answers about where these men went\./)
      assert.match(page, /<h2 id="comments-title">1 Comment<\/h2>/)
      assert.match(page, new RegExp(`id="comment-${comment.id}"`))
      assert.doesNotMatch(page, /ann@example\.org/, 'the e-mail address is never shown')
    })

    test('a returning commenter is approved at once and lands on their comment', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      const reader = await t.factories.approvedCommenter({ article, author: 'Ann Reader', email: 'ann@example.org' })
      const posted = await t.comment(article, { as: reader, content: 'Following up: the ministry has now replied.' })
      assert.equal(posted.response.status, 303)
      assert.equal(posted.status, 'approved', `a known commenter was sent to ${posted.response.headers.get('location')}`)
      assert.ok(posted.id, posted.response.headers.get('location')!)
      assert.match(posted.response.headers.get('location')!, new RegExp(`#comment-${posted.id}$`))
      const page = await (await t.get(article.path)).text()
      assert.match(page, /<h2 id="comments-title">2 Comments<\/h2>/)
      assert.match(page, /Following up: the ministry has now replied\./)
    })

    test('replies thread under their parent, up to the configured depth', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      await t.settings({ commentThreadDepth: 2 })
      const parent = await t.factories.comment({ article, content: 'The first comment.' })
      const reader = await t.factories.approvedCommenter({ article })
      const reply = await t.comment(article, { as: reader, content: 'A reply to the first comment.', parent_id: String(parent.id) })
      assert.equal(reply.status, 'approved', 'the reply of a known commenter shows at once')
      const thread = (await (await t.api(`/api/v1/articles/${article.id}/comments`)).json()) as any
      const top = thread.comments.find((c: any) => c.id === parent.id)
      assert.equal(top.replies[0].id, reply.id)
      assert.equal(top.replies[0].parent_id, parent.id)
      assert.equal(thread.comments.some((c: any) => c.id === reply.id), false, 'a reply is not also listed at the top level')
      assert.equal('author_email' in top, false)
      const tooDeep = await t.comment(article, { as: reader, content: 'Too deep a reply.', parent_id: String(reply.id) })
      assert.equal(tooDeep.response.status, 400)
      assert.match(await tooDeep.response.text(), /replies may nest at most 2 deep/)
    })

    test('more links than allowed are held; a disallowed key goes to the trash', async (ctx) => {
      const { t, article, queue } = await storySite(ctx, dialect)
      const reader = await t.factories.approvedCommenter({ article })
      const links = await t.comment(article, { as: reader, content: 'Sources: https://a.example/1 https://b.example/2 https://c.example/3' })
      assert.match(links.response.headers.get('location')!, /comment=held/)
      await t.settings({ disallowedKeys: ['casino'] })
      const blocked = await t.comment(article, { as: reader, content: 'Best online casino bonus' })
      assert.match(blocked.response.headers.get('location')!, /comment=held/, 'the poster is not told it was trashed')
      const trash = await queue('trash')
      assert.equal(trash.comments.length, 1)
      assert.deepEqual(trash.comments[0].reasons, ['contains a disallowed key: "casino"'])
      const heldQueue = await queue('pending')
      assert.ok(heldQueue.comments.some((c: any) => c.reasons.includes('3 links (more than 2 are held for moderation)')))
    })

    test('a filled honeypot is marked spam, and the poster is only told it awaits moderation', async (ctx) => {
      const { article, queue, postJson } = await storySite(ctx, dialect)
      const res = await postJson({ author: 'Helpful Person', email: 'helpful@example.org', content: 'Nice article.', contact_phone: '+1 555 0100' })
      assert.equal(res.status, 201)
      const body = (await res.json()) as any
      assert.deepEqual(Object.keys(body).sort(), ['id', 'status'])
      assert.equal(body.status, 'pending')
      const c = (await queue('spam')).comments.find((x: any) => x.id === body.id)
      assert.ok(c, `the honeypot comment ${body.id} is in the spam folder (article ${article.id})`)
      assert.match(c.reasons.join(' | '), /hidden form field that only robots fill in/)
    })

    test("a moderator's spam decision teaches the filter: the same text is caught next time", async (ctx) => {
      const { t, editor, queue, moderate, postJson } = await storySite(ctx, dialect)
      const text = 'Lovely reporting on the river this week, thanks to the whole team.'
      const first = (await (await postJson({ author: 'Dealer', email: 'dealer@example.org', content: text })).json()) as any
      assert.ok((await queue('pending')).comments.some((c: any) => c.id === first.id), 'held as a first comment, not as spam')
      assert.equal((await moderate(first.id, 'spam')).status, 200)
      const again = (await (await postJson({ author: 'Other Dealer', email: 'other@example.org', content: text })).json()) as any
      assert.ok((await queue('spam')).comments.some((c: any) => c.id === again.id), 'the identical comment is marked spam')
      const history = (await (await t.api(`/api/v1/admin/comments/${first.id}/history`, { token: editor.token })).json()) as any
      assert.equal(history.history.length, 1)
      assert.equal(history.history[0].from_status, 'pending')
      assert.equal(history.history[0].to_status, 'spam')
      assert.equal(history.history[0].actor, `user:${editor.id}`)
      assert.ok(history.history[0].at)
    })

    test('bulk moderation changes many comments at once', async (ctx) => {
      const { t, article, editor, queue } = await storySite(ctx, dialect)
      const ids: number[] = []
      for (const n of [1, 2]) ids.push((await t.factories.heldComment({ article, content: `Bulk comment ${n}` })).id)
      const res = await t.api('/api/v1/admin/comments/bulk', { method: 'POST', token: editor.token, body: { ids, status: 'trash' } })
      assert.equal(res.status, 200)
      assert.deepEqual(((await res.json()) as any).updated.map((c: any) => c.status), ['trash', 'trash'])
      assert.deepEqual((await queue('trash')).comments.map((c: any) => c.id).sort(), [...ids].sort(), 'both are in the trash afterwards')
    })

    test('the moderation API wants a token with the moderator capability', async (ctx) => {
      const { t, editor } = await storySite(ctx, dialect)
      const author = await t.factories.staff('author')
      assert.equal((await t.api('/api/v1/admin/comments')).status, 401)
      assert.equal((await t.api('/api/v1/admin/comments', { token: 'bs_' + 'x'.repeat(32) })).status, 401)
      assert.equal((await t.api('/api/v1/admin/comments', { token: author.token })).status, 403)
      assert.equal((await t.api('/api/v1/admin/comments?status=nonsense', { token: editor.token })).status, 400)
      assert.equal((await t.api('/api/v1/admin/comments/999999', { method: 'PATCH', token: editor.token, body: { status: 'approved' } })).status, 404)
    })

    test('the commenter cookie is set only with consent, and the page that uses it is never shared-cached', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      const reader = t.factories.commenter({ email: 'ann@example.org' })
      const without = await t.comment(article, { as: reader, content: 'No cookie for me please.' })
      assert.equal(without.response.headers.get('set-cookie'), null)
      const withConsent = await t.comment(article, { as: reader, content: 'Remember me please.', remember: 'yes' })
      const cookie = withConsent.response.headers.get('set-cookie')!
      assert.match(cookie, /^broadsheet_commenter=.*HttpOnly; SameSite=Lax/)
      const page = await t.get(article.path, { headers: { cookie: cookie.split(';')[0]! } })
      assert.equal(page.headers.get('cache-control'), 'private, no-store')
      assert.match(await page.text(), /name="email" maxlength="254" autocomplete="email" required value="ann@example.org"/)
      const anonymous = await t.get(article.path)
      assert.doesNotMatch(anonymous.headers.get('cache-control')!, /private/, 'without the cookie the page may be cached')
    })

    test("the remembered commenter's cookie fills in the form for a returning commenter", async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      const reader = await t.factories.approvedCommenter({ article, remember: true, email: 'known@example.org' })
      const page = await t.get(article.path, { headers: { cookie: reader.cookie! } })
      assert.equal(page.headers.get('cache-control'), 'private, no-store')
      assert.match(await page.text(), /name="email" maxlength="254" autocomplete="email" required value="known@example.org"/)
    })

    // The form's own fields come back beside the field, in the form's words (comment-flow.test.ts).
    test('bad input gets a clear 4xx and changes nothing', async (ctx) => {
      const { t, article, queue } = await storySite(ctx, dialect)
      await t.factories.comment({ article })
      const before = (await queue()).total
      const hidden = await formOf(t, article.path)
      const cases: [Record<string, string>, number, RegExp][] = [
        [{ content: '' }, 400, /Comment is required\./],
        [{ content: 'x'.repeat(10_001) }, 400, /Comment must be at most 10,000 characters\./],
        [{ author: '' }, 400, /Name is required\./],
        [{ author: 'n'.repeat(101) }, 400, /Name must be at most 100/],
        [{ email: 'not-an-address' }, 400, /Email is not a valid e-mail address\./],
        [{ url: 'javascript:alert(1)' }, 400, /Website must be an http/],
        [{ article_id: '999999' }, 404, /no article/i],
        [{ article_id: 'abc' }, 400, /article_id: must be a positive whole number/],
        [{ parent_id: '999999' }, 400, /parent_id: the comment you replied to is not on this article/],
        [{ render_token: `${hidden.render_token!.slice(0, -3)}AAA` }, 400, /has expired or was not served by this site/],
        [{ render_token: '1000000000.1.' + 'A'.repeat(43) }, 400, /has expired or was not served by this site/],
      ]
      for (const [fields, status, message] of cases) {
        const res = await postForm(t, article.path, { email: 'ann@example.org', content: 'Valid content here.', ...fields })
        assert.equal(res.status, status, JSON.stringify(fields))
        assert.match(await res.text(), message, JSON.stringify(fields))
      }
      const expiredForm = await formOf(t, article.path)
      t.now = new Date(t.now.getTime() + 8 * 86_400_000)
      const expired = await t.get('/comments', { method: 'POST', body: new URLSearchParams({ ...expiredForm, author: 'A', email: 'a@example.org', content: 'Late.' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(expired.status, 400)
      for (const body of ['%%%&&&=%E0%A4%A', 'article_id[]=1&article_id[]=2&content=%C3%28', '\u0000\u0001']) {
        const res = await t.get('/comments', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        assert.ok(res.status >= 400 && res.status < 500, `${body}: ${res.status}`)
      }
      const notJson = await t.get(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: '{"author":', headers: { 'content-type': 'application/json' } })
      assert.equal(notJson.status, 400)
      assert.equal(((await notJson.json()) as any).error.code, 'invalid_input')
      assert.equal((await queue()).total, before)
    })

    test('the same comment twice is refused as a duplicate', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      const reader = t.factories.commenter()
      assert.equal((await t.comment(article, { as: reader, content: 'Saying this exactly once.' })).response.status, 303)
      const again = await t.comment(article, { as: reader, content: 'Saying this exactly once.' })
      assert.equal(again.response.status, 409)
      assert.match(await again.response.text(), /already posted this comment/)
    })

    test('a comment from before the text hashes is still caught as a duplicate, before and after the retention job hashes it', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      const reader = t.factories.commenter()
      await t.factories.comment({ article, by: reader, content: 'Said before the upgrade.' })
      await t.factories.comment({ article, by: reader, content: 'Said after it.' })
      // As a database upgraded from before migration 022 holds them: no hash on the texts.
      await t.site.db.updateTable('comments').set({ content_hash: null }).execute()
      const before = await t.comment(article, { as: reader, content: 'Said before the upgrade.' })
      assert.equal(before.response.status, 409, 'found the old way while hashes are missing')
      const swept = await t.jobs.retention()
      assert.equal(swept.textsHashed, 2)
      const rows = await t.site.db.selectFrom('comments').select('content_hash').execute()
      assert.ok(rows.every((r) => r.content_hash && r.content_hash.length === 43), 'every comment has its hash')
      const after = await t.comment(article, { as: reader, content: 'Said after it.' })
      assert.equal(after.response.status, 409, 'found by its hash')
      const other = await t.comment(article, { as: t.factories.commenter(), content: 'Said after it.' })
      assert.equal(other.response.status, 303, 'the same words from someone else are not a duplicate')
    })

    test('closed comments are refused with a message, and the form disappears', async (ctx) => {
      const { t, postJson } = await storySite(ctx, dialect)
      const closed = await t.factories.article({ title: 'Closed for comments', commentsOpen: false })
      const res = await postJson({ author: 'A', email: 'a@example.org', content: 'Hi' }, closed.id)
      assert.equal(res.status, 403)
      assert.equal(((await res.json()) as any).error.message, 'Comments on this article are closed.')
      assert.match(await (await t.get(closed.path)).text(), /Comments are closed\./)

      const old = await t.factories.article({ title: 'Two days old', daysAgo: 2 })
      const fresh = await t.factories.article({ title: 'An hour old', publishedAt: new Date(t.now.getTime() - 3_600_000) })
      await t.settings({ closeCommentsAfterDays: 1 })
      const late = await postJson({ author: 'A', email: 'a@example.org', content: 'Late comment' }, old.id)
      assert.equal(late.status, 403)
      const page = await (await t.get(old.path)).text()
      assert.match(page, /Comments are closed\./)
      assert.doesNotMatch(page, /Leave a Reply/, 'the form is gone')
      assert.equal((await postJson({ author: 'A', email: 'a@example.org', content: 'In time' }, fresh.id)).status, 201, 'a younger story still takes comments')
    })

    test('the per-IP limit answers 429 with Retry-After, counted in the database every server on it shares', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      await t.settings({ commentRateLimitPerMinute: 3 })
      // A second server on the same site and clock, in this process: the count is not per server.
      const second = await buildServer(t.site, { logLevel: 'silent' })
      ctx.after(() => second.close())
      const secondUrl = await second.listen({ port: 0, host: '127.0.0.1' })
      t.now = new Date(Math.ceil(t.now.getTime() / 60_000) * 60_000 + 1000)
      const send = (base: string, n: number) =>
        fetch(`${base}/api/v1/articles/${article.id}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ author: 'Fast', email: 'fast@example.org', content: `Quick comment ${n}` }) })
      assert.equal((await send(t.url, 1)).status, 201)
      assert.equal((await send(secondUrl, 2)).status, 201)
      assert.equal((await send(t.url, 3)).status, 201)
      const limited = await send(secondUrl, 4)
      assert.equal(limited.status, 429)
      assert.ok(Number(limited.headers.get('retry-after')) > 0)
      assert.match(((await limited.json()) as any).error.message, /commenting too quickly/)
      t.now = new Date(t.now.getTime() + 60_000)
      assert.equal((await send(t.url, 5)).status, 201, 'the next minute is a new window')
    })

    test('the per-IP limit holds across two real app processes on one database', async (ctx) => {
      const { t, article } = await storySite(ctx, dialect)
      await t.settings({ commentRateLimitPerMinute: 3 })
      const other = await serveInAnotherProcess(ctx, t)
      // The other process keeps real time; so must this one, and all four comments must fall in one minute.
      const msIntoMinute = Date.now() % 60_000
      if (msIntoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - msIntoMinute + 100))
      const send = (base: string, n: number) => {
        t.now = new Date()
        return fetch(`${base}/api/v1/articles/${article.id}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ author: 'Fast', email: 'fast@example.org', content: `Quick comment ${n}` }) })
      }
      assert.equal((await send(t.url, 1)).status, 201)
      assert.equal((await send(other, 2)).status, 201, 'the other process takes a comment')
      assert.equal((await send(t.url, 3)).status, 201)
      const limited = await send(other, 4)
      assert.equal(limited.status, 429, "the other process counts this process's comments too")
      assert.ok(Number(limited.headers.get('retry-after')) > 0)
      assert.match(((await limited.json()) as any).error.message, /commenting too quickly/)
      assert.equal((await send(t.url, 5)).status, 429, 'and this process counts the other one’s')
    })
  })
}

/** Starts `broadsheet serve` in a child process on the test site's database; resolves to its base URL. */
async function serveInAnotherProcess(ctx: TestContext, t: TestSite): Promise<string> {
  const child = spawn(process.execPath, [path.join(root, 'bin/broadsheet.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, ...t.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WEB_CONCURRENCY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  ctx.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  })
  let output = ''
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broadsheet serve did not start in 30 s:\n${output}`)), 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve(url)
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`broadsheet serve exited with ${code} before listening:\n${output}`))
    })
  })
}
