// E-mail addresses are judged by the parser that sends (nodemailer's addressparser): text that it
// would read as another recipient, several, or none gets a clear 400 on every form that takes one,
// never a 500, and no mail goes anywhere but to an address that was accepted.
import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { signedInAs } from './support/admin-client.ts'
import { postForm } from './support/comments.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite } from './support/test-site.ts'

/** Addresses a stranger might type to reach someone else's inbox, break the mailer, or both. */
const HOSTILE_ADDRESSES = [
  'foo,someone@x.example',
  '(null)@x.example',
  'someone@x.example,victim@y.example',
  ',victim@y.example',
  'someone@x.example;victim@y.example',
  'someone@x.example victim@y.example',
  'Someone <victim@y.example>',
  'someone@x.example <victim@y.example>',
  '<victim@y.example>',
  'group: victim@y.example;',
  '"victim@y.example"',
  '"a,b"@x.example',
  '"\\"@x.example',
  'someone@x.example\r\nBcc: victim@y.example',
  'someone@x.example\nBcc: victim@y.example',
  'someone@x.example\u0000victim@y.example',
  'some\u2028one@x.example',
  '\u202esomeone@x.example',
  'someone(comment)@x.example',
  'someone@x.example (victim@y.example)',
  '=?utf-8?B?dmljdGltQHkuZXhhbXBsZQ==?=@x.example',
  'mailto:victim@y.example',
  'someone@[127.0.0.1]',
  'someone@localhost',
  'some one@x.example',
  'someone@@x.example',
  'someone@x..example',
  '.someone@x.example',
  'someone.@x.example',
  'someone@-x.example',
  'someone@x.example.',
  '@x.example',
  'someone@',
  'someone',
  `${'a'.repeat(65)}@x.example`,
  `someone@${'a'.repeat(250)}.example`,
  'üser@x.example',
  'someone@x.example>',
  '%0d%0aBcc:victim@y.example',
]

async function siteWithMail(ctx: TestContext) {
  const smtp = await startSmtp()
  ctx.after(() => smtp.close())
  const t = await testSite(ctx, { env: { SMTP_URL: smtp.url } })
  await t.settings({ commentRateLimitPerMinute: 100_000 })
  return { t, smtp }
}

const form = { 'content-type': 'application/x-www-form-urlencoded' }
/** What each form says about such an address (the longest ones are refused for their length first). */
const refusedRe = /[Ee]mail:? (?:is not a valid e-mail address|is too long|must be at most|may not contain the NUL character)|Give your e-mail address/

describe('hostile e-mail addresses', () => {
  test('the comment form and the comment API answer 400 to each, and nothing is stored or sent', async (ctx) => {
    const { t, smtp } = await siteWithMail(ctx)
    const article = await t.factories.article()
    await t.factories.moderator()
    for (const email of HOSTILE_ADDRESSES) {
      const res = await postForm(t, article.path, { email, content: 'A comment.' })
      assert.equal(res.status, 400, `the form took ${JSON.stringify(email)}`)
      assert.match(await res.text(), refusedRe)
      const api = await t.api(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: { author: 'Ann', email, content: 'A comment.' } })
      assert.equal(api.status, 400, `the API took ${JSON.stringify(email)}`)
      assert.match(((await api.json()) as any).error.message, refusedRe)
    }
    const stored = await t.site.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(stored.n), 0)
    const good = await postForm(t, article.path, { email: 'ann.reader+news@example.org', content: 'A comment with a real address.' })
    assert.equal(good.status, 303, 'a plain address is still taken')
    await smtp.waitFor((m) => m.subject.includes('awaiting') || m.subject.length > 0) // the moderators' notice
    assert.ok(smtp.inbox.every((m) => m.to.every((to) => !/victim|x\.example/.test(to))), `mail went to ${smtp.inbox.flatMap((m) => m.to).join(', ')}`)
  })

  test('the privacy request form answers 400 to each and e-mails nobody; a plain address gets its one link', async (ctx) => {
    const { t, smtp } = await siteWithMail(ctx)
    for (const email of HOSTILE_ADDRESSES) {
      const res = await t.get('/privacy/requests', { method: 'POST', body: new URLSearchParams({ email, kind: 'export' }), headers: form })
      assert.equal(res.status, 400, `the privacy form took ${JSON.stringify(email)}`)
      assert.match(await res.text(), refusedRe)
    }
    const good = await t.get('/privacy/requests', { method: 'POST', body: new URLSearchParams({ email: 'reader@example.org', kind: 'export' }), headers: form })
    assert.equal(good.status, 200)
    await smtp.waitFor((m) => m.to.includes('reader@example.org'))
    assert.deepEqual(smtp.inbox.flatMap((m) => m.to), ['reader@example.org'], 'the only e-mail went to the address that was accepted')
  })

  test('the users form and the privacy admin API answer 400 to each and create nobody', async (ctx) => {
    const { t } = await siteWithMail(ctx)
    const { browser } = await signedInAs(t, 'administrator')
    await browser.get('/admin/users')
    const officer = await t.factories.staff('administrator')
    for (const email of HOSTILE_ADDRESSES) {
      const page = await browser.post('/admin/users', { name: 'New Reporter', email, role: 'author', password: 'a long enough password' })
      assert.equal(page.status, 400, `the users form took ${JSON.stringify(email)}`)
      assert.match(page.html, refusedRe)
      const api = await t.api('/api/v1/admin/privacy/export', { method: 'POST', token: officer.token, body: { email } })
      assert.equal(api.status, 400, `the privacy API took ${JSON.stringify(email)}`)
    }
    const users = await t.site.db.selectFrom('users').select('email').execute()
    assert.ok(users.every((u) => u.email === null || !u.email.includes('x.example')), 'no account was made with a hostile address')
  })
})
