/**
 * "Approved before" means the same person: a returning commenter is trusted only with the signed
 * cookie their browser got with an approved comment; a name and e-mail address alone are held.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

for (const dialect of DIALECTS) {
  describe(`trusting only verified commenters, on ${dialect}`, () => {
    test("a JSON post with an approved reader's name and address and no cookie is held like a first comment", async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article()
      const reader = await t.factories.approvedCommenter({ article, author: 'Ann Regular', email: 'ann.regular@example.org' })
      const res = await t.api(`/api/v1/articles/${article.id}/comments`, {
        method: 'POST',
        body: { author: reader.author, email: reader.email, content: 'Posting as Ann, who never wrote this.' },
      })
      assert.equal(res.status, 201)
      assert.equal((await res.json()).status, 'pending', 'someone who only knows her address must not skip moderation')
      const byForm = await t.comment(article, { author: reader.author, email: reader.email, content: 'And through the form, without her cookie.' })
      assert.equal(byForm.status, 'held')
      const moderator = await t.factories.moderator()
      const queue = await (await t.api(`/api/v1/admin/comments?status=pending&article=${article.id}`, { token: moderator.token })).json()
      assert.ok(queue.comments.every((c: any) => c.reasons.includes('first comment from this e-mail address')), 'held for the first-comment rule')
    })

    test('with the signed cookie from an approved comment, the returning commenter is approved at once', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article()
      const reader = await t.factories.approvedCommenter({ article })
      assert.equal((await t.comment(article, { as: reader, content: 'Following up with the council reply.' })).status, 'approved')
    })

    test('a forged cookie, one made for another address, or one for a comment not yet approved proves nothing', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article()
      const reader = await t.factories.approvedCommenter({ article })
      const other = await t.factories.approvedCommenter({ article })
      const [name, value] = reader.trust.split('=') as [string, string]
      const forged = `${name}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`
      assert.equal((await t.comment(article, { as: { ...reader, trust: forged }, content: 'A forged cookie.' })).status, 'held')
      assert.equal((await t.comment(article, { as: { ...reader, trust: other.trust }, content: "Someone else's cookie." })).status, 'held')
      const pending = await t.factories.heldComment({ article, by: { author: 'Nell New', email: 'nell@example.org', url: '' } })
      const stranger = await t.factories.approvedCommenter({ article, author: 'Nell New', email: 'nell@example.org' })
      const [, strangerToken] = stranger.trust.split('=') as [string, string]
      const ownPending = `${name}=${pending.id}.${strangerToken.split('.')[1]}`
      assert.equal((await t.comment(article, { as: { ...stranger, trust: ownPending }, content: 'A cookie naming a held comment.' })).status, 'held')
    })

    test('ticking "save my name" sets the signed cookie; once that comment is approved the next one shows at once (WordPress behaviour)', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const article = await t.factories.article()
      const moderator = await t.factories.moderator()
      const first = await postForm(t, article.path, { author: 'Rhea Reader', email: 'rhea@example.org', content: 'My first comment here, on the bypass.', remember: 'yes' })
      const cookies = first.headers.getSetCookie()
      const trust = cookies.find((c) => c.startsWith('broadsheet_trust='))
      assert.ok(trust, `the trust cookie is set: ${cookies.join(' / ')}`)
      assert.match(trust, /HttpOnly/i)
      assert.match(trust, /SameSite=Lax/i)
      const cookie = trust.split(';')[0]!
      const held = await postForm(t, article.path, { author: 'Rhea Reader', email: 'rhea@example.org', content: 'A second thought, before any approval.' }, 45, cookie)
      assert.doesNotMatch(held.headers.get('location') ?? '', /#comment-/, 'not approved yet: the first comment is still held')
      const queue = await (await t.api(`/api/v1/admin/comments?status=pending&article=${article.id}`, { token: moderator.token })).json()
      const firstId = queue.comments.find((c: any) => /first comment here/.test(c.content_html)).id
      assert.equal((await t.api(`/api/v1/admin/comments/${firstId}`, { method: 'PATCH', token: moderator.token, body: { status: 'approved' } })).status, 200)
      const returning = await postForm(t, article.path, { author: 'Rhea Reader', email: 'rhea@example.org', content: 'Back again with the planning numbers.' }, 45, cookie)
      assert.match(returning.headers.get('location') ?? '', /#comment-\d+$/, 'approved at once')
      const unticked = await postForm(t, article.path, { author: 'Rhea Reader', email: 'rhea@example.org', content: 'Posting without the box ticked.' }, 45, cookie)
      assert.ok(unticked.headers.getSetCookie().some((c) => /^broadsheet_trust=;/.test(c)), 'posting without the box ticked removes it')
    })

    test('the privacy page says what is stored for this', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const page = await (await t.get('/privacy/')).text()
      assert.match(page, /<code>broadsheet_trust<\/code> holds the number of your latest comment, signed by this site/)
      assert.match(page, /without it, a comment under your name and e-mail address is held for moderation like a first comment/)
    })
  })
}
