import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formOf, postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

/** What the form shows in a field after an error. */
function fieldValue(page: string, name: string): string | undefined {
  if (name === 'content') return /<textarea name="content"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)?.[1]
  return new RegExp(`<input type="[a-z]+" name="${name}"[^>]* value="([^"]*)"`).exec(page)?.[1]
}

async function postFormTo(t: TestSite, path: string, fields: Record<string, string>) {
  return postForm(t, path, fields)
}

for (const dialect of DIALECTS) {
  describe(`the comment form's answers on ${dialect}`, () => {
    test('an empty e-mail brings the article back with the comment kept and the error beside the e-mail field (400)', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article({ title: 'Barrier holds' })
      const res = await postFormTo(t, article.path, { author: 'Ann Reader', email: '', content: 'The barrier saved <our> shop & the café.' })
      assert.equal(res.status, 400)
      assert.equal(res.headers.get('cache-control'), 'private, no-store')
      const page = await res.text()
      assert.match(page, /<h1 class="headline">Barrier holds<\/h1>/, 'the article itself, not an error page')
      assert.equal(fieldValue(page, 'content'), 'The barrier saved &lt;our&gt; shop &amp; the café.')
      assert.equal(fieldValue(page, 'author'), 'Ann Reader')
      assert.match(page, /name="email"[^>]* aria-invalid="true" aria-describedby="error-email"><\/label><p class="field-error" id="error-email">Email is required\.<\/p>/)
      assert.match(page, /role="alert">Your comment was not posted/)
    })

    test('a bad website address is named beside the website field', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article()
      const res = await postFormTo(t, article.path, { url: 'javascript:alert(1)', content: 'Kept text' })
      assert.equal(res.status, 400)
      const page = await res.text()
      assert.match(page, /<p class="field-error" id="error-url">Website must be an http:\/\/ or https:\/\/ address\.<\/p>/)
      assert.equal(fieldValue(page, 'content'), 'Kept text')
    })

    test('the same comment twice comes back with 409 and the error beside the comment', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article()
      assert.equal((await postFormTo(t, article.path, { content: 'Said once.' })).status, 303)
      const again = await postFormTo(t, article.path, { content: 'Said once.' })
      assert.equal(again.status, 409)
      assert.match(await again.text(), /<p class="field-error" id="error-content">You have already posted this comment on this article\.<\/p>/)
    })

    test('too many comments come back with 429, Retry-After and the text kept', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ commentRateLimitPerMinute: 1 })
      const article = await t.factories.article()
      // Both posts inside one minute's window (each form is filled in for 5 seconds).
      t.now = new Date(Math.ceil(t.now.getTime() / 60_000) * 60_000 + 1000)
      assert.equal((await postForm(t, article.path, { content: 'First.' }, 5)).status, 303)
      const res = await postForm(t, article.path, { content: 'Second, too soon.' }, 5)
      assert.equal(res.status, 429)
      assert.ok(Number(res.headers.get('retry-after')) > 0)
      const page = await res.text()
      assert.equal(fieldValue(page, 'content'), 'Second, too soon.')
      assert.match(page, /role="alert">[^<]+/)
    })

    test('a held comment is shown to its poster alone, marked as awaiting moderation', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article({ title: 'Barrier holds' })
      const other = await t.factories.article({ title: 'Another story' })
      const res = await postFormTo(t, article.path, { author: 'Ann Reader', content: 'My first words here.' })
      assert.equal(res.status, 303)
      const location = res.headers.get('location')!
      assert.match(location, /\?comment=held&token=[^#]+#respond$/)

      const mine = await t.get(new URL(location).pathname + new URL(location).search)
      assert.equal(mine.headers.get('cache-control'), 'private, no-store')
      const page = await mine.text()
      assert.match(page, /<div class="comment held" id="comment-\d+">[\s\S]*?<em>Your comment is awaiting moderation\.<\/em>[\s\S]*?My first words here\./)
      assert.match(page, /Be the first to comment/, 'it is not counted as published')

      assert.doesNotMatch(await (await t.get(article.path)).text(), /My first words here/, 'other readers do not see it')
      assert.doesNotMatch(await (await t.get(`${article.path}?comment=held`)).text(), /My first words here/)
      const token = new URL(location).searchParams.get('token')!
      const forged = token.replace(/^\d+/, (id) => String(Number(id) + 1))
      assert.doesNotMatch(await (await t.get(`${article.path}?comment=held&token=${encodeURIComponent(forged)}`)).text(), /awaiting moderation\.<\/em>/)
      assert.doesNotMatch(await (await t.get(`${other.path}?comment=held&token=${encodeURIComponent(token)}`)).text(), /My first words here/, 'nor on another story')
      t.now = new Date(t.now.getTime() + 31 * 60_000)
      assert.doesNotMatch(await (await t.get(`${article.path}?comment=held&token=${encodeURIComponent(token)}`)).text(), /My first words here/, 'the link shows it for half an hour')
    })

    test('with comments closed the page says so, invites no one and has no form', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const closed = await t.factories.article({ title: 'Closed story', commentsOpen: false })
      const page = await (await t.get(closed.path)).text()
      assert.match(page, /<a href="#comments">Comments are closed<\/a>/)
      assert.match(page, /<p class="note">Comments are closed\.<\/p>/)
      assert.doesNotMatch(page, /Be the first to comment|Leave a Reply|<form method="post"/)

      const open = await t.factories.article({ title: 'Open story' })
      const hidden = await formOf(t, open.path)
      const body = new URLSearchParams({ ...hidden, article_id: String(closed.id), author: 'A', email: 'a@example.org', content: 'Too late' })
      const res = await t.get('/comments', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(res.status, 403)
      assert.match(await res.text(), /Comments are closed\./)
    })

    test('each link in a comment counts once, however it is written', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ holdAfterLinks: 2 })
      const article = await t.factories.article()
      const reader = await t.factories.approvedCommenter({ article })
      const posted = await t.comment(article, { as: reader, content: 'See http://www.example.org/report and <a href="https://example.net/">the council</a>.' })
      assert.equal(posted.status, 'approved', 'two links are within the limit of two')
      const three = await t.comment(article, { as: reader, content: 'Also www.a.example, https://b.example and [c](https://c.example).' })
      assert.equal(three.status, 'held')
    })
  })
}
