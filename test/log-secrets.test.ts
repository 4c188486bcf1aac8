/**
 * No secret and no full client address in any log line: a site at LOG_LEVEL=debug, its pino
 * output captured, taken through every flow that carries one (the set-up link, sign-in with a
 * password and its session cookie, a password-reset link, bearer API tokens, Akismet calls with
 * the key in the host name, the query and the body, privacy and address-confirmation links,
 * held-comment tokens, commenters from IPv4 and IPv6), and every line searched for each of them.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { AdminClient, staffWithPassword } from './support/admin-client.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const CLIENT_V4 = '203.0.113.45'
const CLIENT_V6 = '2001:db8:cafe:17:5:4:3:2'
const AKISMET_USER_IP = '198.51.100.77'
const form = { 'content-type': 'application/x-www-form-urlencoded' }

/** A request with a Host header of our choosing (fetch will not send one), as Akismet clients make. */
function requestWithHost(t: TestSite, host: string, path: string, body: string): Promise<number> {
  const { port } = new URL(t.url)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { host, ...form, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const linkIn = (text: string, re: RegExp) => re.exec(text)?.[1]

test('at LOG_LEVEL=debug no log line holds a key, a token, a password, a session cookie or a full client address', async (ctx) => {
  const smtp = await startSmtp()
  ctx.after(() => smtp.close())
  const lines: string[] = []
  const logStream = new Writable({ write: (chunk, _e, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) })
  const t = await testSite(ctx, { env: { SMTP_URL: smtp.url, TRUST_PROXY: 'loopback', LOG_LEVEL: 'debug' }, server: { logLevel: 'debug', logStream } })
  const secrets: Record<string, string> = {}

  // The first administrator's set-up link, opened and used.
  const setup = await t.site.services.accounts.createSetupToken()
  secrets['set-up token'] = setup
  const admin = new AdminClient(t)
  assert.equal((await admin.get(`/admin/setup?token=${encodeURIComponent(setup)}`)).status, 200)
  const adminPassword = 'the first administrator passphrase'
  secrets['set-up password'] = adminPassword
  assert.equal((await admin.post('/admin/setup', { token: setup, name: 'Ada Chief', email: 'ada@news.test', password: adminPassword })).status, 303)

  // Sign-in: a wrong password, then the right one; the session cookie and CSRF token used after.
  const editor = await staffWithPassword(t, 'editor')
  secrets['editor password'] = editor.password
  const browser = new AdminClient(t)
  await browser.signIn(editor.email, 'a wrong password, typed')
  secrets['wrong password'] = 'a wrong password, typed'
  assert.equal((await browser.signIn(editor.email, editor.password)).status, 303)
  for (const [name, value] of browser.cookieHeader.split('; ').map((c) => c.split('=') as [string, string])) if (value.length >= 16) secrets[`cookie ${name}`] = value
  assert.equal((await browser.get('/admin/tokens')).status, 200)
  secrets['csrf token'] = browser.csrf!
  const madeToken = await browser.post('/admin/tokens', { label: 'script' })
  secrets['token made in the form'] = /<p class="token">(bs_[A-Za-z0-9_-]+)<\/p>/.exec(madeToken.html)![1]!

  // A password reset by e-mail.
  await browser.post('/admin/password-reset', { email: editor.email })
  const resetMail = await smtp.waitFor((m) => m.to.includes(editor.email))
  const resetLink = linkIn(resetMail.text, /http:\/\/news\.test(\/admin\/password-reset\/[A-Za-z0-9_-]+)/)!
  secrets['password-reset token'] = resetLink.split('/').pop()!
  assert.equal((await new AdminClient(t).get(resetLink)).status, 200)

  // Bearer tokens: a good one in the header, one in a query string, a made-up one.
  const token = await t.staffToken('editor')
  secrets['API token'] = token
  assert.equal((await t.api('/api/v1/admin/comments', { token })).status, 200)
  await t.get(`/api/v1/admin/comments?token=${token}`)
  secrets['made-up API token'] = 'bs_ThisIsNotARealTokenButLooksLike1'
  assert.equal((await t.api('/api/v1/admin/comments', { token: secrets['made-up API token'] })).status, 401)

  // Akismet: the key in the host name, in the body, in the query; the commenter's IP in the body.
  const key = await t.factories.akismetKey('https://blog.example.org/')
  secrets['Akismet key'] = key
  const check = new URLSearchParams({ blog: 'https://blog.example.org/', user_ip: AKISMET_USER_IP, user_agent: 'Mozilla/5.0', comment_content: 'Cheap pills here' }).toString()
  assert.equal(await requestWithHost(t, `${key}.rest.akismet.test`, '/1.1/comment-check', check), 200)
  assert.equal(await requestWithHost(t, `${key}.rest.akismet.test`, '/1.1/verify-key', 'blog=https://blog.example.org/'), 200)
  assert.equal(await requestWithHost(t, 'rest.akismet.test', '/1.1/comment-check', `api_key=${key}&${check}`), 200)
  await t.get(`/1.1/verify-key?key=${key}&blog=https://blog.example.org/`, { method: 'POST' })

  // Commenters from IPv4 and IPv6 behind the trusted proxy; a held comment's token.
  const article = await t.factories.article()
  for (const ip of [CLIENT_V4, CLIENT_V6]) {
    const res = await t.get(`/api/v1/articles/${article.id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ author: 'Reader', email: `reader-${ip.length}@example.org`, content: `A first thought on the flood wall, from ${ip.includes(':') ? 'a phone' : 'a laptop'}.` }),
    })
    assert.equal(res.status, 201)
  }
  const held = await t.comment(article, { author: 'Nell New', email: 'nell@example.org', content: 'Held for a moderator to read.' })
  const heldToken = new URL(held.response.headers.get('location')!, 'http://x').searchParams.get('token')
  if (heldToken) {
    secrets['held-comment token'] = heldToken
    await t.get(held.response.headers.get('location')!.replace('http://news.test', ''))
  }

  // A regular without their cookie: the site e-mails an address-confirmation link.
  const regular = await t.factories.approvedCommenter({ article, author: 'Ann Regular', email: 'ann.regular@example.org' })
  await t.comment(article, { author: regular.author, email: regular.email, content: 'Writing from my new phone.' })
  const confirmMail = await smtp.waitFor((m) => m.to.includes('ann.regular@example.org') && /Confirm your comment/.test(m.subject))
  const confirmLink = linkIn(confirmMail.text, /http:\/\/news\.test(\/comments\/confirm\?token=[^\s]+)/)!
  const confirmToken = decodeURIComponent(new URL(confirmLink, 'http://x').searchParams.get('token')!)
  secrets['address-confirmation token'] = confirmToken
  assert.equal((await t.get(confirmLink)).status, 200)
  await t.get('/comments/confirm', { method: 'POST', headers: form, body: new URLSearchParams({ token: confirmToken }) })

  // A privacy request: the e-mailed link opened, then confirmed.
  assert.equal((await t.get('/privacy/requests', { method: 'POST', headers: { ...form, 'x-forwarded-for': CLIENT_V4 }, body: new URLSearchParams({ email: 'reader-12@example.org', kind: 'export' }) })).status, 200)
  const privacyMail = await smtp.waitFor((m) => m.to.includes('reader-12@example.org'))
  const privacyToken = linkIn(privacyMail.text, /\/privacy\/confirm\?token=([^\s&]+)/)!
  secrets['privacy token'] = privacyToken
  assert.equal((await t.get(`/privacy/confirm?token=${privacyToken}`)).status, 200)
  await t.get('/privacy/confirm', { method: 'POST', headers: form, body: new URLSearchParams({ token: privacyToken }) })

  // Something the site does log at debug and above: the requests themselves.
  assert.ok(lines.length > 50, `the site logged its requests (${lines.length} lines)`)
  assert.ok(lines.some((l) => l.includes('"msg":"incoming request"')) && lines.some((l) => l.includes('"msg":"request completed"')), 'requests were logged as they came and went')
  const leaks: string[] = []
  for (const [what, secret] of Object.entries(secrets)) {
    const forms = new Set([secret, encodeURIComponent(secret), secret.toLowerCase()])
    for (const line of lines) if ([...forms].some((f) => line.includes(f))) leaks.push(`${what}: ${line.slice(0, 300)}`)
  }
  for (const ip of [CLIENT_V4, CLIENT_V6, AKISMET_USER_IP]) for (const line of lines) if (line.includes(ip)) leaks.push(`full IP ${ip}: ${line.slice(0, 300)}`)
  // Any dotted quad that is not a network (x.y.z.0) nor the server's own address, whatever request it came from.
  const own = new URL(t.url).host
  for (const line of lines.map((l) => l.replaceAll(own, 'the-server'))) for (const m of line.matchAll(/(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.(\d{1,3}))(?![\d.])/g)) if (m[2] !== '0') leaks.push(`an IPv4 address ${m[1]}: ${line.slice(0, 300)}`)
  assert.deepEqual(leaks, [], 'no log line holds a secret or a full client address')
  assert.ok(lines.some((l) => l.includes('"remoteAddress":"203.0.113.0"')), 'the client is logged by its network')
  assert.ok(lines.some((l) => l.includes('"remoteAddress":"2001:db8:cafe::"')), 'and an IPv6 client by its network')
  assert.ok(lines.some((l) => l.includes('"host":"[redacted].rest.akismet.test"')), 'an Akismet host is logged without its key')
})
