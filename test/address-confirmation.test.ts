/**
 * A regular who comments from a browser without their trust cookie is held like a first comment;
 * the site e-mails their address a confirmation link, and opening it (then pressing the button)
 * publishes the comment and, if they ask, makes that browser a trusted one.
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { postForm } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite } from './support/test-site.ts'

async function mailingSite(ctx: TestContext, dialect: (typeof DIALECTS)[number]) {
  const smtp = await startSmtp()
  ctx.after(() => smtp.close())
  const t = await testSite(ctx, { dialect, env: { SMTP_URL: smtp.url } })
  const article = await t.factories.article()
  const reader = await t.factories.approvedCommenter({ article, author: 'Ann Regular', email: 'ann.regular@example.org' })
  return { t, smtp, article, reader }
}

const linkIn = (text: string) => /http:\/\/news\.test(\/comments\/confirm\?token=[^\s]+)/.exec(text)?.[1]
const tokenOf = (link: string) => decodeURIComponent(new URL(link, 'http://x').searchParams.get('token')!)

for (const dialect of DIALECTS) {
  test(`on ${dialect}, a regular without their cookie confirms by the e-mailed link: the comment is published and the browser trusted`, async (ctx) => {
    const { t, smtp, article, reader } = await mailingSite(ctx, dialect)
    const posted = await t.comment(article, { author: reader.author, email: reader.email, content: 'Writing from my new phone about the flood wall.' })
    assert.equal(posted.status, 'held')
    const mail = await smtp.waitFor((m) => m.to.includes('ann.regular@example.org') && /Confirm your comment/.test(m.subject))
    assert.match(mail.text, /Writing from my new phone about the flood wall\./)
    const link = linkIn(mail.text)
    assert.ok(link, `the mail carries a confirmation link: ${mail.text}`)
    const id = Number(tokenOf(link).split('.')[0])

    const opened = await t.get(link)
    assert.equal(opened.status, 200)
    const page = await opened.text()
    assert.match(page, /<button type="submit">Publish my comment<\/button>/)
    assert.doesNotMatch((await t.get(article.path, { headers: { 'cache-control': 'no-cache' } }).then((r) => r.text())), /Writing from my new phone/, 'opening the link (as a mail scanner would) publishes nothing')

    const confirmed = await t.get('/comments/confirm', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokenOf(link), remember: 'yes' }),
    })
    assert.equal(confirmed.status, 303)
    assert.match(confirmed.headers.get('location') ?? '', new RegExp(`${article.path}#comment-${id}$`))
    const trust = confirmed.headers.getSetCookie().find((c) => c.startsWith('broadsheet_trust='))
    assert.ok(trust, 'asked to be recognised, the browser gets the trust cookie')
    assert.equal(await t.site.services.comments.statusOf(id), 'approved')

    const next = await t.comment(article, { as: { ...reader, trust: trust.split(';')[0]! }, content: 'And a second one from the phone.' })
    assert.equal(next.status, 'approved', 'that browser is now a returning commenter’s')
  })
}

test('a link for another comment, a forged or expired link, and a comment a moderator removed publish nothing', async (ctx) => {
  const { t, smtp, article, reader } = await mailingSite(ctx, 'sqlite')
  const confirm = (token: string) =>
    t.get('/comments/confirm', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) })
  await t.comment(article, { author: reader.author, email: reader.email, content: 'A comment the moderator will remove.' })
  const token = tokenOf(linkIn((await smtp.waitFor((m) => /Confirm your comment/.test(m.subject) && m.text.includes('the moderator will remove'))).text)!)
  const [id, expires, signature] = token.split('.') as [string, string, string]

  for (const bad of [`${Number(id) + 1}.${expires}.${signature}`, `${id}.${Number(expires) + 60}.${signature}`, `${id}.${expires}.${signature.slice(0, -1)}A`, 'nonsense', '']) {
    const res = await confirm(bad)
    assert.equal(res.status, 400, `${bad} is refused`)
    assert.match(await res.text(), /This confirmation link has expired or was not sent by this site/)
  }
  t.now = new Date(t.now.getTime() + 8 * 86_400_000)
  assert.equal((await confirm(token)).status, 400, 'a week later the link has expired')
  t.now = new Date(t.now.getTime() - 8 * 86_400_000)

  const moderator = await t.factories.moderator()
  await t.api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', token: moderator.token, body: { status: 'spam' } })
  const late = await confirm(token)
  assert.equal(late.status, 200)
  assert.match(await late.text(), /removed by a moderator, so it stays unpublished/)
  assert.equal(late.headers.getSetCookie().length, 0)
  assert.equal(await t.site.services.comments.statusOf(Number(id)), 'spam', 'the moderator’s decision stands')
})

test('an address gets at most three confirmation e-mails a day, and a first comment ever gets none', async (ctx) => {
  const { t, smtp, article, reader } = await mailingSite(ctx, 'sqlite')
  for (let i = 1; i <= 5; i++) {
    const posted = await postForm(t, article.path, { author: reader.author, email: reader.email, content: `Impostor attempt number ${i} at the mailbox.` }, 120)
    assert.equal(posted.status, 303)
  }
  await t.comment(article, { author: 'Nell New', email: 'nell.new@example.org', content: 'My very first comment here.' })
  await new Promise((r) => setTimeout(r, 500))
  const confirmations = smtp.inbox.filter((m) => /Confirm your comment/.test(m.subject))
  assert.equal(confirmations.filter((m) => m.to.includes('ann.regular@example.org')).length, 3)
  assert.equal(confirmations.filter((m) => m.to.includes('nell.new@example.org')).length, 0, 'a first comment ever is for a moderator to judge')
})
