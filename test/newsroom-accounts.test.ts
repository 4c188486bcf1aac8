/**
 * The newsroom's doors, over real HTTP: the first administrator's set-up link, sign-in and its
 * limits, CSRF on every form, sessions that end (sign-out, sign-out everywhere, a disabled
 * account), password resets through real SMTP on loopback, and tokens listed and revoked.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { AdminClient, signedInAs, staffWithPassword } from './support/admin-client.ts'
import { runCli, spawnUntil } from './support/cli.ts'
import { DIALECTS } from './support/dialects.ts'
import { startSmtp } from './support/smtp.ts'
import * as apiTokenExpiry from '../src/storage/migrations/2026-12-02-020-api-token-expiry.ts'
import { testSite } from './support/test-site.ts'

describe('the first administrator', () => {
  test('a new site prints a one-time set-up link; it creates the administrator once, and a second use is refused', async (ctx) => {
    const t = await testSite(ctx)
    assert.equal(await t.site.services.accounts.needsSetup(), true)
    const token = await t.site.services.accounts.createSetupToken()
    const browser = new AdminClient(t)

    const wrong = await browser.get('/admin/setup?token=not-the-token')
    assert.equal(wrong.status, 404)
    assert.match(wrong.html, /used or has expired/)

    const form = await browser.get(`/admin/setup?token=${token}`)
    assert.equal(form.status, 200)
    for (const label of ['Name', 'Email', 'Password']) assert.match(form.html, new RegExp(`<label for="[a-z]+">${label}</label>`))
    assert.match(form.html, /<button type="submit">Create administrator<\/button>/)

    const short = await browser.post('/admin/setup', { token, name: 'Ada Editor', email: 'ada@news.test', password: 'short' })
    assert.equal(short.status, 400)
    assert.match(short.html, /at least 12 characters/)
    assert.match(short.html, /value="ada@news.test"/, 'what was typed stays in the form')

    const made = await browser.post('/admin/setup', { token, name: 'Ada Editor', email: 'ada@news.test', password: 'a long enough password' })
    assert.equal(made.status, 303)
    assert.equal(made.location, '/admin/')
    const home = await browser.get('/admin/')
    assert.equal(home.status, 200)
    assert.match(home.html, /<a class="button" href="\/admin\/articles\/new">New article<\/a>/)
    assert.match(home.html, /href="\/admin\/comments">Comments<\/a>/)

    const again = await new AdminClient(t).get(`/admin/setup?token=${token}`)
    assert.equal(again.status, 303, 'with an administrator, set-up sends you to sign in')
    assert.equal(await t.site.services.accounts.needsSetup(), false)
  })

  test('`broadsheet serve` on a site without an administrator prints the set-up link; `user list` shows who can sign in', async (ctx) => {
    const t = await testSite(ctx)
    const empty = await runCli(['user', 'list'], t.env)
    assert.equal(empty.code, 0)
    assert.match(empty.stdout, /no users yet/)
    const served = await spawnUntil(['serve'], { ...t.env, PORT: '0' }, /admin\/setup\?token=([A-Za-z0-9_-]{43})/)
    assert.equal(await t.site.services.accounts.setupTokenIsLive(served[1]!), true)
    const admin = await staffWithPassword(t, 'administrator')
    const listed = await runCli(['user', 'list'], t.env)
    assert.match(listed.stdout, new RegExp(`^${admin.id}\\tadministrator\\t${admin.email}\\t`, 'm'))
    const again = await spawnUntil(['serve'], { ...t.env, PORT: '0' }, /Broadsheet is running/)
    assert.doesNotMatch(again.input!, /admin\/setup/)
  })
})

describe('signing in', () => {
  for (const dialect of DIALECTS) {
    test(`right password: a session cookie that is HttpOnly, SameSite=Lax, limited to /admin; wrong: 401 and the same page (${dialect})`, async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await staffWithPassword(t, 'editor')
      const browser = new AdminClient(t)
      const login = await browser.get('/admin/login')
      assert.match(login.html, /<label for="email">Email<\/label>/)
      assert.match(login.html, /<label for="password">Password<\/label>/)
      assert.match(login.html, /<button type="submit">Sign in<\/button>/)

      const wrong = await browser.post('/admin/login', { email: editor.email, password: 'not my password at all' })
      assert.equal(wrong.status, 401)
      assert.match(wrong.html, /do not match an account/)
      assert.equal(browser.cookie('broadsheet_session'), undefined)

      const res = await t.get('/admin/login', { method: 'POST', body: new URLSearchParams({ _csrf: browser.csrf!, email: editor.email.toUpperCase(), password: editor.password }), headers: { cookie: browser.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(res.status, 303)
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('broadsheet_session='))!
      assert.match(cookie, /HttpOnly/i)
      assert.match(cookie, /SameSite=Lax/i)
      assert.match(cookie, /Path=\/admin/)
      const value = /broadsheet_session=([^;]+)/.exec(cookie)![1]!
      const stored = await t.site.db.selectFrom('sessions').select('id_hash').execute()
      assert.equal(stored.length, 1)
      assert.notEqual(stored[0]!.id_hash, value, 'only a hash of the cookie is stored')
    })
  }

  test('behind https the session cookie is Secure', async (ctx) => {
    const t = await testSite(ctx, { env: { BROADSHEET_URL: 'https://news.example.org' } })
    const editor = await staffWithPassword(t, 'editor')
    const browser = new AdminClient(t)
    await browser.get('/admin/login')
    const res = await t.get('/admin/login', { method: 'POST', body: new URLSearchParams({ _csrf: browser.csrf!, email: editor.email, password: editor.password }), headers: { cookie: browser.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' } })
    assert.match(res.headers.getSetCookie().find((c) => c.startsWith('broadsheet_session='))!, /; Secure/i)
  })

  test('ten wrong passwords: the sixth is refused with a readable wait, and then even the right one waits', async (ctx) => {
    const t = await testSite(ctx)
    const editor = await staffWithPassword(t, 'editor')
    const browser = new AdminClient(t)
    await browser.get('/admin/login')
    const statuses: number[] = []
    let last = ''
    for (let i = 0; i < 10; i++) {
      const page = await browser.post('/admin/login', { email: editor.email, password: `guess number ${i}` })
      statuses.push(page.status)
      last = page.html
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429])
    assert.match(last, /Too many sign-in attempts for this account: wait \d+ minutes?/)
    const right = await browser.post('/admin/login', { email: editor.email, password: editor.password })
    assert.equal(right.status, 429)
    t.now = new Date(t.now.getTime() + 16 * 60_000)
    assert.equal((await browser.post('/admin/login', { email: editor.email, password: editor.password })).status, 303)
  })

  test('a session planted before sign-in is not the one after it; sign-in goes back to the page asked for, never off the site', async (ctx) => {
    const t = await testSite(ctx)
    const editor = await staffWithPassword(t, 'editor')
    const browser = new AdminClient(t)
    const asked = await browser.get('/admin/comments?status=spam')
    assert.equal(asked.status, 303)
    assert.equal(asked.location, '/admin/login?next=%2Fadmin%2Fcomments%3Fstatus%3Dspam')
    await browser.get(asked.location!)
    const back = await browser.post('/admin/login', { email: editor.email, password: editor.password, next: '/admin/comments?status=spam' })
    assert.equal(back.location, '/admin/comments?status=spam')
    const first = browser.cookie('broadsheet_session')

    const other = new AdminClient(t)
    await other.get('/admin/login')
    const offsite = await other.post('/admin/login', { email: editor.email, password: editor.password, next: '//evil.example/' })
    assert.equal(offsite.location, '/admin/')
    for (const next of ['/admin/%0d%0aSet-Cookie:x=1', '/admin/\u20ac', '/admin\\..\\evil']) {
      const other2 = new AdminClient(t)
      await other2.get('/admin/login')
      const res = await other2.post('/admin/login', { email: editor.email, password: editor.password, next: decodeURIComponent(next) })
      assert.equal(res.status, 303, `next=${next}`)
      assert.equal(res.location, '/admin/', `next=${next}`)
    }
    assert.notEqual(other.cookie('broadsheet_session'), first, 'each sign-in makes a new session')
  })
})

describe('CSRF on every form', () => {
  test('a form without its token, with a made-up one, or with one from before sign-in is refused with 403 and changes nothing', async (ctx) => {
    const t = await testSite(ctx)
    const before = new AdminClient(t)
    await before.get('/admin/login')
    const staleToken = before.csrf!
    const { user, browser } = await signedInAs(t, 'administrator')
    await browser.get('/admin/settings')
    const title = (await t.site.services.settings.read()).title

    const without = await browser.post('/admin/settings', { title: 'Hijacked' }, { csrf: null })
    assert.equal(without.status, 403)
    assert.match(without.html, /form has expired or did not come from this site/)
    const madeUp = await browser.post('/admin/settings', { title: 'Hijacked' }, { csrf: 'abc-def' })
    assert.equal(madeUp.status, 403)
    const stale = await browser.post('/admin/settings', { title: 'Hijacked' }, { csrf: staleToken })
    assert.equal(stale.status, 403, 'a token made before sign-in (another session) does not pass')
    assert.equal((await t.site.services.settings.read()).title, title)

    await browser.get('/admin/settings')
    const ok = await browser.post('/admin/settings', { title: 'The Riverside Gazette', tagline: 'Local news', copyrightHolder: 'Riverside Media', reusePolicy: 'Ask first.', permalinkStructure: '/%year%/%monthnum%/%day%/%postname%/', language: 'en-GB' })
    assert.equal(ok.status, 200, ok.html.slice(0, 500))
    assert.equal((await t.site.services.settings.read()).title, 'The Riverside Gazette')
    assert.ok(user)
  })
})

describe('sessions that end', () => {
  test('sign out ends this session; sign out everywhere ends every one; a disabled account is out at once', async (ctx) => {
    const t = await testSite(ctx)
    const editor = await staffWithPassword(t, 'editor')
    const phone = new AdminClient(t)
    const laptop = new AdminClient(t)
    await phone.signIn(editor.email, editor.password)
    await laptop.signIn(editor.email, editor.password)
    assert.equal((await phone.get('/admin/')).status, 200)

    await phone.get('/admin/')
    assert.equal((await phone.post('/admin/logout', {})).location, '/admin/login?signed_out')
    assert.equal((await phone.get('/admin/')).status, 303)
    assert.equal((await laptop.get('/admin/')).status, 200, 'the other session lives on')

    await phone.signIn(editor.email, editor.password)
    await laptop.get('/admin/profile')
    await laptop.post('/admin/logout-everywhere', {})
    assert.equal((await phone.get('/admin/')).status, 303)
    assert.equal((await laptop.get('/admin/')).status, 303)

    const { browser: admin } = await signedInAs(t, 'administrator')
    await phone.signIn(editor.email, editor.password)
    await admin.get('/admin/users')
    const disabled = await admin.post(`/admin/users/${editor.id}`, { do: 'disable', role: 'editor' })
    assert.match(disabled.html, /disabled: signed out everywhere, tokens revoked/)
    assert.equal((await phone.get('/admin/')).status, 303)
    assert.equal((await phone.signIn(editor.email, editor.password)).status, 401)
  })

  test('an expired session is refused; the last administrator cannot be demoted', async (ctx) => {
    const t = await testSite(ctx)
    const { user, browser } = await signedInAs(t, 'administrator')
    t.now = new Date(t.now.getTime() + 15 * 86_400_000)
    assert.equal((await browser.get('/admin/')).status, 303)
    await browser.signIn(user.email, user.password)
    await browser.get('/admin/users')
    const demoted = await browser.post(`/admin/users/${user.id}`, { do: 'role', role: 'editor' })
    assert.equal(demoted.status, 409)
    assert.match(demoted.html, /last administrator/)
  })
})

describe('password reset', () => {
  test('an e-mailed single-use link sets a new password and ends other sessions; the form says the same for unknown addresses', async (ctx) => {
    const smtp = await startSmtp()
    ctx.after(() => smtp.close())
    const t = await testSite(ctx, { env: { SMTP_URL: smtp.url } })
    const author = await staffWithPassword(t, 'author')
    const elsewhere = new AdminClient(t)
    await elsewhere.signIn(author.email, author.password)

    const browser = new AdminClient(t)
    await browser.get('/admin/password-reset')
    const unknown = await browser.post('/admin/password-reset', { email: 'nobody@news.test' })
    const known = await browser.post('/admin/password-reset', { email: author.email })
    assert.equal(unknown.status, 200)
    assert.equal(known.status, 200)
    assert.equal(unknown.html.replace(/name="_csrf" value="[^"]+"/, ''), known.html.replace(/name="_csrf" value="[^"]+"/, ''))
    const mail = await smtp.waitFor((m) => m.to.includes(author.email))
    assert.equal(smtp.inbox.length, 1, 'nothing is sent for an address without an account')
    assert.match(mail.subject, /Reset your password/)
    const link = /http:\/\/news\.test(\/admin\/password-reset\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!

    const form = await browser.get(link)
    assert.equal(form.status, 200)
    const set = await browser.post(link, { password: 'a brand new passphrase' })
    assert.equal(set.status, 303)
    assert.equal((await browser.get('/admin/')).status, 200)
    assert.equal((await elsewhere.get('/admin/')).status, 303, 'the old sessions are gone')
    assert.equal((await new AdminClient(t).signIn(author.email, author.password)).status, 401)
    assert.equal((await new AdminClient(t).signIn(author.email, 'a brand new passphrase')).status, 303)
    const reused = await new AdminClient(t).get(link)
    assert.equal(reused.status, 404)
  })
})

describe('API tokens', () => {
  test('listed and revoked in the UI and the CLI; a revoked token opens nothing', async (ctx) => {
    const t = await testSite(ctx)
    const { user, browser } = await signedInAs(t, 'editor')
    await browser.get('/admin/tokens')
    const made = await browser.post('/admin/tokens', { label: 'import script' })
    const token = /<p class="token">(bs_[A-Za-z0-9_-]+)<\/p>/.exec(made.html)![1]!
    assert.equal((await t.api('/api/v1/admin/comments', { token })).status, 200)

    const listed = await runCli(['token', 'list'], t.env)
    assert.equal(listed.code, 0)
    const line = listed.stdout.split('\n').find((l) => l.includes('import script'))!
    assert.match(line, new RegExp(`^\\d+\\t${user.email}\\timport script\\tcreated `))
    const id = line.split('\t')[0]!

    const revoked = await runCli(['token', 'revoke', id], t.env)
    assert.equal(revoked.code, 0)
    assert.equal((await t.api('/api/v1/admin/comments', { token })).status, 401)
    const again = await runCli(['token', 'revoke', 'abc'], t.env)
    assert.equal(again.code, 1)
    assert.match(again.stderr, /not a token id/)
    const page = await browser.get('/admin/tokens')
    assert.match(page.html, /revoked \d{4}-/)
  })

  for (const dialect of DIALECTS) {
    test(`a token expires: 90 days by default, --expires-in DAYS otherwise; an expired token gets 401 (${dialect})`, async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const owner = await t.factories.staff('editor')
      const day = 86_400_000
      const made = await runCli(['token', 'create', '--email', owner.email, '--label', 'short job', '--expires-in', '2'], t.env)
      assert.equal(made.code, 0, made.stderr)
      const shortLived = made.stdout.trim()
      const byDefault = await t.site.services.accounts.createApiToken(owner.email, 'default')
      const listed = await runCli(['token', 'list'], t.env)
      const expiryOf = (label: string) => Date.parse(/expires (\S+)/.exec(listed.stdout.split('\n').find((l) => l.includes(`\t${label}\t`))!)![1]!)
      assert.ok(Math.abs(expiryOf('short job') - (Date.now() + 2 * day)) < 60_000, listed.stdout)
      assert.ok(Math.abs(expiryOf('default') - (t.now.getTime() + 90 * day)) < 60_000, listed.stdout)

      assert.equal((await t.api('/api/v1/admin/comments', { token: shortLived })).status, 200)
      t.now = new Date(Date.now() + 2 * day + 60_000)
      assert.equal((await t.api('/api/v1/admin/comments', { token: shortLived })).status, 401, 'two days on, the 2-day token opens nothing')
      assert.equal((await t.api('/api/v1/admin/comments', { token: byDefault })).status, 200, 'the 90-day token still works')
      t.now = new Date(Date.now() + 91 * day)
      assert.equal((await t.api('/api/v1/admin/comments', { token: byDefault })).status, 401, 'after 90 days the default token is spent too')

      const { browser } = await signedInAs(t, 'editor')
      const form = await browser.get('/admin/tokens')
      assert.match(form.html, /<label for="token-expires">Expires after \(days\)<\/label><input id="token-expires" name="expires_in" type="number"[^>]* value="90">/)
      const weekly = await browser.post('/admin/tokens', { label: 'weekly', expires_in: '7' })
      assert.equal(weekly.status, 200)
      assert.match(weekly.html, new RegExp(`<td>weekly</td>.*?<td>${new Date(t.now.getTime() + 7 * day).toISOString().slice(0, 10)}`, 's'), 'the list shows when the token expires')
      assert.equal((await browser.post('/admin/tokens', { label: 'never', expires_in: '0' })).status, 400)

      for (const bad of ['0', 'soon', '3651', '-5']) {
        const refused = await runCli(['token', 'create', '--email', owner.email, '--expires-in', bad], t.env)
        assert.equal(refused.code, 1, `--expires-in ${bad}`)
        assert.match(refused.stderr, /expires-in/)
      }
    })
  }

  for (const dialect of DIALECTS) {
    test(`tokens made before expiry existed keep working for 90 days from the upgrade (${dialect})`, async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const owner = await t.factories.staff('editor')
      // As on a site that upgrades: the column made again, over a token that had none.
      await apiTokenExpiry.down(t.site.db)
      await apiTokenExpiry.up(t.site.db)
      assert.equal((await t.api('/api/v1/admin/comments', { token: owner.token })).status, 200)
      const [listed] = (await t.site.services.accounts.listTokens()).filter((x) => x.email === owner.email)
      assert.ok(Math.abs(Date.parse(listed!.expiresAt!) - (Date.now() + 90 * 86_400_000)) < 60_000, `expires ${listed!.expiresAt}`)
    })
  }

  test("someone who is not an administrator sees and revokes only their own tokens", async (ctx) => {
    const t = await testSite(ctx)
    const other = await t.factories.staff('editor')
    const { browser } = await signedInAs(t, 'author')
    const page = await browser.get('/admin/tokens')
    assert.doesNotMatch(page.html, new RegExp(other.email))
    const ids = (await t.site.services.accounts.listTokens()).filter((x) => x.email === other.email).map((x) => x.id)
    const refused = await browser.post(`/admin/tokens/${ids[0]}/revoke`, {})
    assert.equal(refused.status, 404)
    assert.equal((await t.api('/api/v1/admin/comments', { token: other.token })).status, 200)
  })
})
