import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addUser, createApiToken } from '../src/accounts/users.ts'
import { insertComment } from '../src/comments/comment-store.ts'
import { applyRetention, anonymiseIp } from '../src/privacy/retention.ts'
import { readSettings } from '../src/settings/settings.ts'
import { postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite, type TestSite } from './support/test-site.ts'

test('IP addresses are anonymised to their network', () => {
  assert.equal(anonymiseIp('203.0.113.45'), '203.0.113.0')
  assert.equal(anonymiseIp('::ffff:203.0.113.45'), '203.0.113.0')
  assert.equal(anonymiseIp('2001:db8:1:2:3:4:5:6'), '2001:db8:1::')
  assert.equal(anonymiseIp(anonymiseIp('2001:db8:1:2:3:4:5:6')), '2001:db8:1::')
})

for (const dialect of DIALECTS) {
  describe(`commenters' data on ${dialect}`, () => {
    let t: TestSite
    let smtp: Awaited<ReturnType<typeof startSmtp>>
    let path: string
    let articleId: number
    let adminToken: string

    before(async () => {
      smtp = await startSmtp()
      t = await testSite({ dialect, env: { SMTP_URL: smtp.url } })
      const { article } = await t.publish({ title: 'Flood barrier holds', publishedAt: new Date(t.now.getTime() - 86_400_000) })
      articleId = article.id
      path = t.pathOf(article)
      await addUser(t.site.db, { email: 'chief@news.test', name: 'Chief Editor', role: 'administrator' })
      adminToken = await createApiToken(t.site.db, 'chief@news.test')
    })
    after(async () => {
      await t.close()
      await smtp.close()
    })

    const admin = (p: string, body: unknown) =>
      t.get(p, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } })

    test('the privacy page states what the running settings keep, and for how long', async () => {
      let page = await (await t.get('/privacy/')).text()
      assert.match(page, /30 days, then anonymised/)
      assert.match(page, /not stored: it is dropped as soon as the spam check is done/)
      assert.match(page, /Nothing about you or your comment is sent to any other company/)
      assert.match(page, /<code>broadsheet_commenter<\/code>/)
      assert.match(page, /Send me a confirmation link/)
      await t.settings({ ipRetentionDays: 14, keepUserAgents: true, erasure: 'delete' })
      page = await (await t.get('/privacy/')).text()
      assert.match(page, /14 days, then anonymised/)
      assert.match(page, /kept with the comment/)
      assert.match(page, /your comments are deleted/)
      await t.settings({ ipRetentionDays: 30, keepUserAgents: false, erasure: 'anonymise' })
    })

    test('moderators are e-mailed about held comments; commenters who asked hear of replies', async () => {
      await postForm(t, path, { author: 'Quay Resident', email: 'resident@example.org', content: 'The water came within a hand of the top.', notify_replies: 'yes' })
      const held = await smtp.waitFor((m) => m.to.includes('chief@news.test') && m.text.includes('within a hand of the top'))
      assert.match(held.text, /A new comment on "Flood barrier holds" is waiting for your approval/)
      assert.equal(held.subject, `[Broadsheet] Please moderate: "Flood barrier holds"`)
      assert.match(held.text, /first comment from this e-mail address/)
      const queue = (await (await t.get('/api/v1/admin/comments?status=pending', { headers: { authorization: `Bearer ${adminToken}` } })).json()) as any
      const parent = queue.comments.find((c: any) => c.author === 'Quay Resident')
      await t.get(`/api/v1/admin/comments/${parent.id}`, { method: 'PATCH', body: '{"status":"approved"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } })
      const reply = await t.get(`/api/v1/articles/${articleId}/comments`, { method: 'POST', body: JSON.stringify({ author: 'Neighbour', email: 'neighbour@example.org', content: 'Same on our street.', parent_id: parent.id }), headers: { 'content-type': 'application/json' } })
      const replyId = ((await reply.json()) as any).id
      await t.get(`/api/v1/admin/comments/${replyId}`, { method: 'PATCH', body: '{"status":"approved"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } })
      const notice = await smtp.waitFor((m) => m.to.includes('resident@example.org'))
      assert.match(notice.text, /Neighbour replied to your comment on "Flood barrier holds"/)
      assert.match(notice.text, new RegExp(`#comment-${replyId}`))
    })

    test('a commenter exports and then erases their data through links e-mailed to them', async () => {
      await postForm(t, path, { author: 'Private Person', email: 'private@example.org', content: 'Please keep my name out of this later.', url: 'https://private.example' })
      const ask = (kind: string) => t.get('/privacy/requests', { method: 'POST', body: new URLSearchParams({ email: 'Private@Example.org', kind }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.match(await (await ask('export')).text(), /Check your inbox/)
      const mail = await smtp.waitFor((m) => m.to.includes('private@example.org') && m.text.includes('a copy of the personal data'))
      const link = /http:\/\/news\.test(\/privacy\/confirm\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1]!
      const confirm = await t.get(link)
      assert.match(await confirm.text(), /Download my data/)
      const token = new URL(`http://x${link}`).searchParams.get('token')!
      const download = await t.get('/privacy/confirm', { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.match(download.headers.get('content-disposition')!, /attachment/)
      const data = (await download.json()) as any
      assert.equal(data.email, 'private@example.org')
      assert.equal(data.comments[0].content, 'Please keep my name out of this later.')
      assert.equal(data.comments[0].author_url, 'https://private.example')
      assert.equal(data.comments[0].author_ip, '127.0.0.1')
      const reused = await t.get('/privacy/confirm', { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(reused.status, 404, 'a link works once')

      await ask('erase')
      const eraseMail = await smtp.waitFor((m) => m.to.includes('private@example.org') && m.text.includes('erasure of the personal data'))
      const eraseToken = /token=([A-Za-z0-9_-]+)/.exec(eraseMail.text)![1]!
      const erased = await t.get('/privacy/confirm', { method: 'POST', body: new URLSearchParams({ token: eraseToken }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.match(await erased.text(), /1 comment no longer carry your personal data/)
      const after = (await (await admin('/api/v1/admin/privacy/export', { email: 'private@example.org' })).json()) as any
      assert.deepEqual(after.comments, [])
      const queue = (await (await t.get('/api/v1/admin/comments', { headers: { authorization: `Bearer ${adminToken}` } })).json()) as any
      const anonymised = queue.comments.find((c: any) => c.content_html.includes('keep my name out'))
      assert.equal(anonymised.author, 'Anonymous')
      assert.equal(anonymised.author_email, '')
      assert.equal(anonymised.author_ip, null)
    })

    test('the admin API exports and erases too, and needs an administrator', async () => {
      await postForm(t, path, { author: 'Second Person', email: 'second@example.org', content: 'A comment to erase by hand.' })
      const exported = (await (await admin('/api/v1/admin/privacy/export', { email: 'second@example.org' })).json()) as any
      assert.equal(exported.comments.length, 1)
      // Approval teaches the filter, which keeps counts under a hash of the address: erasure must forget those too.
      await t.get(`/api/v1/admin/comments/${exported.comments[0].id}`, { method: 'PATCH', body: '{"status":"approved"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } })
      const emailCounts = async () => Number((await t.site.db.selectFrom('spam_reputation').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'email').executeTakeFirstOrThrow()).n)
      const before = await emailCounts()
      assert.ok(before >= 1)
      const erased = (await (await admin('/api/v1/admin/privacy/erase', { email: 'second@example.org' })).json()) as any
      assert.equal(erased.comments, 1)
      assert.equal(await emailCounts(), before - 1, "the address's reputation is forgotten")
      const noToken = await t.get('/api/v1/admin/privacy/export', { method: 'POST', body: '{"email":"x@example.org"}', headers: { 'content-type': 'application/json' } })
      assert.equal(noToken.status, 401)
    })

    test('the retention job anonymises old IPs and drops user agents, and is safe to run twice at once', async () => {
      const old = new Date(t.now.getTime() - 31 * 86_400_000).toISOString()
      const id = await insertComment(t.site.db, {
        article_id: articleId, parent_id: null, author_name: 'Old', author_email: 'old@example.org', author_url: '', author_ip: '198.51.100.77',
        user_agent: 'Mozilla/5.0', content_markdown: 'old', content_html: '<p>old</p>', status: 'approved', reasons: '[]', spam_score: 0, notify_replies: 0, created_at: old,
      })
      const settings = await readSettings(t.site.db)
      const [a, b] = await Promise.all([t.site.services.privacy.applyRetention(), t.site.services.privacy.applyRetention()])
      assert.equal(a.ipsAnonymised + b.ipsAnonymised, 1)
      const row = await t.site.db.selectFrom('comments').select(['author_ip', 'user_agent']).where('id', '=', id).executeTakeFirstOrThrow()
      assert.deepEqual(row, { author_ip: '198.51.100.0', user_agent: null })
      const again = await t.site.services.privacy.applyRetention()
      assert.equal(again.ipsAnonymised, 0)
    })

    test('a bad or stale confirmation link is refused clearly', async () => {
      const res = await t.get('/privacy/confirm?token=nonsense')
      assert.equal(res.status, 404)
      assert.match(await res.text(), /not valid any more/)
      const bad = await t.get('/privacy/requests', { method: 'POST', body: new URLSearchParams({ email: 'not-an-address', kind: 'export' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(bad.status, 400)
    })
  })
}
