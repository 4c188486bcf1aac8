import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { anonymiseIp } from '../src/privacy/retention.ts'
import { DIALECTS, type Dialect } from './support/dialects.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite } from './support/test-site.ts'

test('IP addresses are anonymised to their network', () => {
  assert.equal(anonymiseIp('203.0.113.45'), '203.0.113.0')
  assert.equal(anonymiseIp('::ffff:203.0.113.45'), '203.0.113.0')
  assert.equal(anonymiseIp('2001:db8:1:2:3:4:5:6'), '2001:db8:1::')
  assert.equal(anonymiseIp(anonymiseIp('2001:db8:1:2:3:4:5:6')), '2001:db8:1::')
})

const form = { 'content-type': 'application/x-www-form-urlencoded' }

/** A site that sends e-mail to a loopback SMTP server, with one story and an administrator. */
async function privacySite(ctx: TestContext, dialect: Dialect) {
  const smtp = await startSmtp()
  ctx.after(() => smtp.close())
  const t = await testSite(ctx, { dialect, env: { SMTP_URL: smtp.url } })
  const article = await t.factories.article({ title: 'Flood barrier holds' })
  const admin = await t.factories.staff('administrator', { email: 'chief@news.test', name: 'Chief Editor' })
  const adminPost = (p: string, body: unknown) => t.api(p, { method: 'POST', token: admin.token, body })
  const moderate = (id: number, status: string) => t.api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', token: admin.token, body: { status } })
  const queue = async () => (await (await t.api('/api/v1/admin/comments', { token: admin.token })).json()) as any
  const ask = (email: string, kind: string) => t.get('/privacy/requests', { method: 'POST', body: new URLSearchParams({ email, kind }), headers: form })
  const confirm = (token: string) => t.get('/privacy/confirm', { method: 'POST', body: new URLSearchParams({ token }), headers: form })
  return { t, smtp, article, admin, adminPost, moderate, queue, ask, confirm }
}

for (const dialect of DIALECTS) {
  describe(`commenters' data on ${dialect}`, () => {
    test('the privacy page states what the running settings keep, and for how long', async (ctx) => {
      const { t } = await privacySite(ctx, dialect)
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
    })

    test('moderators are e-mailed about held comments; commenters who asked hear of replies', async (ctx) => {
      const { t, smtp, article, moderate } = await privacySite(ctx, dialect)
      const resident = t.factories.commenter({ author: 'Quay Resident', email: 'resident@example.org' })
      await t.comment(article, { as: resident, content: 'The water came within a hand of the top.', notify_replies: 'yes' })
      const held = await smtp.waitFor((m) => m.to.includes('chief@news.test') && m.text.includes('within a hand of the top'))
      assert.match(held.text, /A new comment on "Flood barrier holds" is waiting for your approval/)
      assert.equal(held.subject, `[Broadsheet] Please moderate: "Flood barrier holds"`)
      assert.match(held.text, /first comment from this e-mail address/)
      const queue = (await (await t.api('/api/v1/admin/comments?status=pending', { token: (await t.factories.moderator()).token })).json()) as any
      const parent = queue.comments.find((c: any) => c.author === 'Quay Resident')
      assert.match(held.text, new RegExp(`http://news\\.test/admin/comments\\?comment=${parent.id}#comment-${parent.id}`), 'the e-mail links straight to the comment in the queue')
      assert.equal((await moderate(parent.id, 'approved')).status, 200)
      const reply = await t.api(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: { author: 'Neighbour', email: 'neighbour@example.org', content: 'Same on our street.', parent_id: parent.id } })
      const replyId = ((await reply.json()) as any).id
      assert.equal((await moderate(replyId, 'approved')).status, 200)
      const notice = await smtp.waitFor((m) => m.to.includes('resident@example.org'))
      assert.match(notice.text, /Neighbour replied to your comment on "Flood barrier holds"/)
      assert.match(notice.text, new RegExp(`#comment-${replyId}`))
    })

    test('a commenter exports and then erases their data through links e-mailed to them', async (ctx) => {
      const { t, smtp, article, adminPost, queue, ask, confirm } = await privacySite(ctx, dialect)
      const reader = t.factories.commenter({ author: 'Private Person', email: 'private@example.org', url: 'https://private.example' })
      await t.comment(article, { as: reader, content: 'Please keep my name out of this later.' })
      assert.match(await (await ask('Private@Example.org', 'export')).text(), /Check your inbox/)
      const mail = await smtp.waitFor((m) => m.to.includes('private@example.org') && m.text.includes('a copy of the personal data'))
      const link = /http:\/\/news\.test(\/privacy\/confirm\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1]!
      assert.match(await (await t.get(link)).text(), /Download my data/)
      const token = new URL(`http://x${link}`).searchParams.get('token')!
      const download = await confirm(token)
      assert.match(download.headers.get('content-disposition')!, /attachment/)
      const data = (await download.json()) as any
      assert.equal(data.email, 'private@example.org')
      assert.equal(data.comments[0].content, 'Please keep my name out of this later.')
      assert.equal(data.comments[0].author_url, 'https://private.example')
      assert.equal(data.comments[0].author_ip, '127.0.0.1')
      assert.equal((await confirm(token)).status, 404, 'a link works once')

      await ask('private@example.org', 'erase')
      const eraseMail = await smtp.waitFor((m) => m.to.includes('private@example.org') && m.text.includes('erasure of the personal data'))
      const erased = await confirm(/token=([A-Za-z0-9_-]+)/.exec(eraseMail.text)![1]!)
      assert.match(await erased.text(), /1 comment no longer carry your personal data/)
      const after = (await (await adminPost('/api/v1/admin/privacy/export', { email: 'private@example.org' })).json()) as any
      assert.deepEqual(after.comments, [])
      const anonymised = (await queue()).comments.find((c: any) => c.content_html.includes('keep my name out'))
      assert.equal(anonymised.author, 'Anonymous')
      assert.equal(anonymised.author_email, '')
      assert.equal(anonymised.author_ip, null)
      assert.equal(anonymised.author_url, null, 'the website, which names its owner, is erased too')
    })

    test('an erased commenter’s name and website are gone from the article page too', async (ctx) => {
      const { t, article, adminPost } = await privacySite(ctx, dialect)
      const reader = t.factories.commenter({ author: 'Findable Person', email: 'findable@example.org', url: 'https://findable.example/me' })
      await t.factories.comment({ article, by: reader, content: 'A comment that stays, unsigned.' })
      const before = await (await t.get(article.path)).text()
      assert.match(before, /Findable Person/)
      assert.match(before, /findable\.example/)
      const erased = (await (await adminPost('/api/v1/admin/privacy/erase', { email: 'findable@example.org' })).json()) as any
      assert.deepEqual(erased, { email: 'findable@example.org', comments: 1, erasure: 'anonymise' })
      const page = await (await t.get(article.path)).text()
      assert.match(page, /A comment that stays, unsigned\./, 'anonymising keeps the text')
      assert.doesNotMatch(page, /Findable Person/)
      assert.doesNotMatch(page, /findable\.example/, "the commenter's website still names them")
      const thread = (await (await t.api(`/api/v1/articles/${article.id}/comments`)).json()) as any
      assert.equal(thread.comments[0].author, 'Anonymous')
      assert.equal(thread.comments[0].author_url, null)
    })

    test('with erasure set to delete, the comments go and their replies stay as top-level comments', async (ctx) => {
      const { t, article, adminPost, queue } = await privacySite(ctx, dialect)
      await t.settings({ erasure: 'delete' })
      const leaving = t.factories.commenter({ email: 'leaving@example.org' })
      const staying = t.factories.commenter({ author: 'Staying Reader' })
      const parent = await t.factories.comment({ article, by: leaving, content: 'Delete me with my data.' })
      const held = await t.factories.heldComment({ article, by: leaving, content: 'And this one, still held.' })
      const reply = await t.factories.comment({ article, by: staying, parent, content: 'A reply that stays.' })
      const erased = (await (await adminPost('/api/v1/admin/privacy/erase', { email: 'leaving@example.org' })).json()) as any
      assert.deepEqual(erased, { email: 'leaving@example.org', comments: 2, erasure: 'delete' })

      const ids = (await queue()).comments.map((c: any) => c.id)
      assert.ok(!ids.includes(parent.id) && !ids.includes(held.id), `the erased commenter's comments are still there: ${JSON.stringify(ids)}`)
      assert.ok(ids.includes(reply.id), 'the reply is kept')
      const page = await (await t.get(article.path)).text()
      assert.doesNotMatch(page, /Delete me with my data/)
      assert.match(page, /A reply that stays\./)
      const thread = (await (await t.api(`/api/v1/articles/${article.id}/comments`)).json()) as any
      assert.deepEqual(thread.comments.map((c: any) => [c.id, c.parent_id]), [[reply.id, null]], 'the reply now stands at the top level')
      assert.deepEqual(((await (await adminPost('/api/v1/admin/privacy/export', { email: 'leaving@example.org' })).json()) as any).comments, [])
    })

    test('the admin API exports and erases too, and needs an administrator', async (ctx) => {
      const { t, article, adminPost, moderate } = await privacySite(ctx, dialect)
      await t.comment(article, { as: t.factories.commenter({ email: 'second@example.org' }), content: 'A comment to erase by hand.' })
      const exported = (await (await adminPost('/api/v1/admin/privacy/export', { email: 'second@example.org' })).json()) as any
      assert.equal(exported.comments.length, 1)
      // Approval teaches the filter, which keeps counts under a hash of the address: erasure must forget those too.
      assert.equal((await moderate(exported.comments[0].id, 'approved')).status, 200)
      const before = await t.stored.reputationEntries('email')
      assert.ok(before >= 1)
      const erased = (await (await adminPost('/api/v1/admin/privacy/erase', { email: 'second@example.org' })).json()) as any
      assert.equal(erased.comments, 1)
      assert.equal(await t.stored.reputationEntries('email'), before - 1, "the address's reputation is forgotten")
      const noToken = await t.api('/api/v1/admin/privacy/export', { method: 'POST', body: { email: 'x@example.org' } })
      assert.equal(noToken.status, 401)
    })

    test('a sender (one IP address) may ask for five confirmation e-mails an hour; the sixth is refused with Retry-After', async (ctx) => {
      const { t, smtp, ask } = await privacySite(ctx, dialect)
      t.now = new Date(Math.floor(t.now.getTime() / 3600_000) * 3600_000 + 60_000)
      // Five different addresses from one sender: the per-sender limit, not the per-address one, is what refuses the sixth.
      for (let n = 1; n <= 5; n++) {
        const res = await ask(`asker${n}@example.org`, n % 2 ? 'export' : 'erase')
        assert.equal(res.status, 200, `request ${n} of 5 was refused`)
        assert.match(await res.text(), /Check your inbox/)
      }
      const sixth = await ask('asker6@example.org', 'export')
      assert.equal(sixth.status, 429, 'a sixth confirmation e-mail within the hour was sent')
      assert.ok(Number(sixth.headers.get('retry-after')) > 0, `Retry-After: ${sixth.headers.get('retry-after')}`)
      assert.match(await sixth.text(), /Too many requests from your address/)
      const toAskers = () => smtp.inbox.filter((m) => m.to.some((to) => /^asker\d@example\.org$/.test(to))).length
      await smtp.waitFor(() => toAskers() === 5)
      assert.equal(toAskers(), 5, 'no e-mail for the refused request')
      assert.equal(smtp.inbox.filter((m) => m.to.includes('asker6@example.org')).length, 0)
      t.now = new Date(t.now.getTime() + 3600_000)
      assert.equal((await ask('asker6@example.org', 'export')).status, 200, 'the next hour is a new allowance')
    })

    test('the retention job anonymises old IPs and drops user agents, and is safe to run twice at once', async (ctx) => {
      const { t, article } = await privacySite(ctx, dialect)
      const old = await t.factories.comment({ article, createdAt: new Date(t.now.getTime() - 31 * 86_400_000), ip: '198.51.100.77', userAgent: 'Mozilla/5.0' })
      const recent = await t.factories.comment({ article, ip: '198.51.100.78' })
      const [a, b] = await Promise.all([t.jobs.retention(), t.jobs.retention()])
      assert.equal(a.ipsAnonymised + b.ipsAnonymised, 1)
      assert.deepEqual(await t.stored.commentTraces(old.id), { author_ip: '198.51.100.0', user_agent: null })
      assert.equal((await t.stored.commentTraces(recent.id)).author_ip, '198.51.100.78', 'a recent IP is kept')
      assert.equal((await t.jobs.retention()).ipsAnonymised, 0)
    })

    test('a bad or stale confirmation link is refused clearly', async (ctx) => {
      const { t, ask } = await privacySite(ctx, dialect)
      const res = await t.get('/privacy/confirm?token=nonsense')
      assert.equal(res.status, 404)
      assert.match(await res.text(), /not valid any more/)
      assert.equal((await ask('not-an-address', 'export')).status, 400)
    })
  })
}
