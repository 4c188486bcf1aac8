import assert from 'node:assert/strict'
import dns from 'node:dns'
import { describe, test, type TestContext } from 'node:test'
import { AkismetClient } from 'akismet-api'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

// Akismet clients put the key in the host name (KEY.rest.akismet.com); here KEY.localhost.
const realLookup = dns.lookup
;(dns as any).lookup = (hostname: string, options: any, callback: any) =>
  hostname.endsWith('.localhost') ? realLookup('127.0.0.1', options, callback) : realLookup(hostname, options, callback)

for (const dialect of DIALECTS) {
  describe(`Akismet-compatible API on ${dialect}`, () => {
    const comment = (content: string, extra: Record<string, unknown> = {}) => ({
      ip: '203.0.113.9',
      useragent: 'Mozilla/5.0',
      name: 'Reader',
      email: 'reader@example.org',
      content,
      type: 'comment',
      ...extra,
    })

    /** A site with a key for blog.example.org, and an Akismet client library using it. */
    async function akismetSite(ctx: TestContext) {
      const t = await testSite(ctx, { dialect })
      const key = await t.factories.akismetKey('https://blog.example.org/')
      const host = new URL(t.url).host.replace('127.0.0.1', 'localhost')
      const client = new AkismetClient({ key, blog: 'https://blog.example.org/', host, protocol: 'http' })
      return { t, key, host, client }
    }

    test('a key made for a site verifies; a made-up one does not', async (ctx) => {
      const { t, client } = await akismetSite(ctx)
      assert.equal(await client.verifyKey(), true)
      const wrong = new AkismetClient({ key: 'abcdef123456', blog: 'https://blog.example.org/', host: new URL(t.url).host, protocol: 'http' })
      assert.equal(await wrong.verifyKey(), false)
    })

    test("Akismet's documented test values behave as documented", async (ctx) => {
      const { client } = await akismetSite(ctx)
      assert.equal(await client.checkSpam(comment('Anything at all', { name: 'viagra-test-123' })), true)
      assert.equal(await client.checkSpam(comment('Anything at all', { email: 'akismet-guaranteed-spam@example.com' })), true)
      assert.equal(await client.checkSpam(comment('buy cheap pills http://pills.example.tk', { role: 'administrator' })), false)
    })

    test('an ordinary comment passes and obvious promotion is caught', async (ctx) => {
      const { client } = await akismetSite(ctx)
      assert.equal(await client.checkSpam(comment('I was at the council meeting; the vote was closer than the article suggests.')), false)
      assert.equal(await client.checkSpam(comment('CHECK OUT MY CHANNEL!!! subscribe subscribe http://bit.ly/free-money http://cheap-pills.tk', { name: 'Best Deals 4U' })), true)
    })

    test("submit-spam teaches the key's model at once; is_test teaches nothing; other keys are unaffected", async (ctx) => {
      const { t, host, client } = await akismetSite(ctx)
      const otherKey = await t.factories.akismetKey('https://other.example.org/')
      const text = 'Lovely reporting on the river flood defences this week, thanks to everyone.'
      const other = new AkismetClient({ key: otherKey, blog: 'https://other.example.org/', host, protocol: 'http' })
      assert.equal(await client.checkSpam(comment(text)), false)
      await client.submitSpam(comment(text, { isTest: true }))
      assert.equal(await client.checkSpam(comment(text)), false, 'is_test=1 must not train')
      await client.submitSpam(comment(text))
      assert.equal(await client.checkSpam(comment(text)), true, 'the next identical comment gets the new verdict')
      assert.equal(await other.checkSpam(comment(text)), false, "one site's feedback never trains another's model")
      await client.submitHam(comment(text))
      assert.equal(await client.checkSpam(comment(text)), false, 'submit-ham corrects it again')
    })

    test('answers and headers match Akismet for raw requests', async (ctx) => {
      const { t, key } = await akismetSite(ctx)
      const post = (path: string, form: Record<string, string>) =>
        fetch(t.url + path, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      const ok = await post('/1.1/comment-check', { api_key: key, blog: 'https://blog.example.org/', comment_content: 'Thanks for this.', user_ip: '198.51.100.1' })
      assert.equal(await ok.text(), 'false')
      assert.match(ok.headers.get('x-akismet-guid')!, /^[0-9a-f-]{36}$/)

      const honeypot = await post('/1.1/comment-check', { key, blog: 'https://blog.example.org/', comment_content: 'Thanks.', honeypot_field_name: 'hp_phone', hp_phone: '555-0100' })
      assert.equal(await honeypot.text(), 'true')
      assert.equal(honeypot.headers.get('x-akismet-pro-tip'), 'discard')

      const noKey = await post('/1.1/comment-check', { blog: 'https://blog.example.org/', comment_content: 'x' })
      assert.equal(await noKey.text(), 'invalid')
      assert.ok(noKey.headers.get('x-akismet-debug-help'))
      const unknownKey = await post('/1.1/comment-check', { api_key: 'ffffffffffff', blog: 'https://blog.example.org/', comment_content: 'x' })
      assert.equal(await unknownKey.text(), 'invalid')
      const noBlog = await post('/1.1/comment-check', { api_key: key, comment_content: 'x' })
      assert.equal(await noBlog.text(), 'Missing required field: blog.')
      assert.equal(noBlog.headers.get('x-akismet-debug-help'), 'Missing required field: blog.')
      const pingback = await post('/1.1/comment-check', { api_key: key, blog: 'https://blog.example.org/', comment_type: 'pingback', comment_author_url: 'https://news.example.net/story' })
      assert.match(await pingback.text(), /^(true|false)$/, 'comment_content may be left out (pingbacks, sign-up checks)')
      const thanks = await post('/1.1/submit-ham', { api_key: key, blog: 'https://blog.example.org/', comment_content: 'fine', is_test: '1', extra_field: 'ignored' })
      assert.equal(await thanks.text(), 'Thanks for making the web a better place.')
    })

    /** A comment-check as WordPress's Akismet plugin sends it: every POST field again, prefixed `POST_`. */
    const wordpress = (key: string, fields: Record<string, string>) => {
      const content = fields.comment_content ?? 'I was at the council meeting; the vote was closer than the article suggests.'
      return new URLSearchParams({
        api_key: key,
        blog: 'https://blog.example.org',
        blog_lang: 'en_US',
        blog_charset: 'UTF-8',
        user_ip: '203.0.113.50',
        user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
        referrer: 'https://blog.example.org/2026/12/01/council-vote/',
        permalink: 'https://blog.example.org/2026/12/01/council-vote/',
        comment_type: 'comment',
        comment_author: 'Priya Natarajan',
        comment_author_email: 'priya@example.net',
        comment_author_url: '',
        comment_content: content,
        comment_date_gmt: new Date().toISOString(),
        POST_author: 'Priya Natarajan',
        POST_email: 'priya@example.net',
        POST_comment: content,
        POST_comment_post_ID: '41',
        POST_ak_hp_textarea: '',
        POST_ak_js: String(Date.now() - 40_000),
        ...fields,
      })
    }

    test('WordPress-shaped requests get the verdicts a WordPress site expects: its honeypot and its script timing count', async (ctx) => {
      const { t, key } = await akismetSite(ctx)
      const check = (fields: Record<string, string>) =>
        fetch(`${t.url}/1.1/comment-check`, { method: 'POST', body: wordpress(key, fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      const reader = await check({})
      assert.equal(await reader.text(), 'false', 'a reader who took 40 s, with the script run and the honeypot empty')
      const robot = await check({ POST_ak_hp_textarea: 'http://cheap-loans.example.tk' })
      assert.equal(await robot.text(), 'true', 'the plugin honeypot filled in, with no honeypot_field_name')
      assert.equal(robot.headers.get('x-akismet-pro-tip'), 'discard')
      const instant = await check({ POST_ak_js: String(Date.now() - 1_000), comment_content: 'Great post, thanks for sharing this with us all.' })
      assert.equal(await instant.text(), 'true', 'posted a second after the page ran its script')
      const noScript = await check({ POST_ak_js: '148', debug: '1' })
      assert.match(noScript.headers.get('x-akismet-debug-reasons')!, /script did not run/, 'a form whose script never ran is a signal, named')
      const ran = await check({ debug: '1' })
      assert.match(ran.headers.get('x-akismet-debug-reasons')!, /^pass \(score 0\.\d\d\)/)
      assert.doesNotMatch(ran.headers.get('x-akismet-debug-reasons')!, /script/)
      assert.equal(await (await check({ comment_author: 'akismet-guaranteed-spam' })).text(), 'true', "Akismet's test author is spam")
      assert.equal(await (await check({ comment_author_email: 'akismet-guaranteed-spam@example.com' })).text(), 'true')
      assert.equal(await (await check({ user_role: 'administrator', POST_ak_hp_textarea: '' , comment_content: 'buy cheap pills http://pills.example.tk' })).text(), 'false', 'an administrator is never spam')
      const signup = await check({ comment_type: 'signup', comment_content: '', POST_comment: '' })
      assert.equal(await signup.text(), 'false', 'an empty text (a sign-up check) is judged, not refused')
    })

    test('/1.2/usage-limit and /1.2/key-sites answer as Akismet documents', async (ctx) => {
      const { t, key } = await akismetSite(ctx)
      const post = (path: string, form: Record<string, string>) =>
        fetch(t.url + path, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      await post('/1.1/comment-check', { api_key: key, blog: 'https://blog.example.org/', comment_content: 'Thanks for this.' })
      await post('/1.1/comment-check', { api_key: key, blog: 'https://blog.example.org/', comment_content: 'CHECK OUT MY CHANNEL!!! subscribe http://bit.ly/free-money http://cheap-pills.tk', comment_author: 'Best Deals 4U' })
      await post('/1.1/comment-check', { api_key: key, blog: 'https://shop.example.org/', comment_content: 'Where is my parcel?' })
      await post('/1.1/submit-ham', { api_key: key, blog: 'https://blog.example.org/', comment_content: 'Thanks for this.' })
      const limit = await fetch(`${t.url}/1.2/usage-limit?api_key=${key}`)
      assert.match(limit.headers.get('content-type')!, /^application\/json/)
      assert.deepEqual(await limit.json(), { limit: 'none', usage: 4, percentage: '0.00', throttled: false })
      const month = new Date().toISOString().slice(0, 7)
      const sites = await (await post('/1.2/key-sites', { api_key: key })).json()
      assert.deepEqual(sites, {
        [month]: [
          { site: 'blog.example.org', api_calls: '3', spam: '1', ham: '1', missed_spam: '0', false_positives: '1', is_revoked: false },
          { site: 'shop.example.org', api_calls: '1', spam: '0', ham: '1', missed_spam: '0', false_positives: '0', is_revoked: false },
        ],
        limit: 10,
        offset: 0,
        total: 2,
      })
      const csv = await (await fetch(`${t.url}/1.2/key-sites?api_key=${key}&format=csv&limit=1`)).text()
      assert.match(csv, /^Active sites for \d{4}-\d{2} \(limit: 1, offset: 0, total: 2\)\nSite,Total API Calls,Spam,Ham,Missed Spam,False Positives,Is Revoked\nblog\.example\.org,3,1,1,0,1,false\n$/)
      const older = await (await fetch(`${t.url}/1.2/key-sites?api_key=${key}&month=2020-01`)).json()
      assert.deepEqual(older, { '2020-01': [], limit: 10, offset: 0, total: 0 })
      const bad = await fetch(`${t.url}/1.2/usage-limit?api_key=ffffffffffff`)
      assert.equal(await bad.text(), 'invalid')
      assert.ok(bad.headers.get('x-akismet-debug-help'))
      assert.equal(await (await fetch(`${t.url}/1.2/key-sites?api_key=${key}&month=soon`)).text(), 'invalid')
    })

    test('a report for a key that does not exist is refused as Akismet does, and teaches nothing', async (ctx) => {
      const { t, key } = await akismetSite(ctx)
      const text = 'The ferry timetable changed again without notice to anyone on the island.'
      const post = (path: string, form: Record<string, string>) =>
        fetch(t.url + path, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      for (const call of ['/1.1/submit-spam', '/1.1/submit-ham']) {
        const refused = await post(call, { api_key: 'ffffffffffff', blog: 'https://blog.example.org/', comment_content: text })
        assert.equal(refused.status, 200)
        assert.equal(await refused.text(), 'invalid')
        assert.match(refused.headers.get('x-akismet-debug-help')!, /Invalid API key/)
      }
      assert.equal(await (await post('/1.1/comment-check', { api_key: key, blog: 'https://blog.example.org/', comment_content: text })).text(), 'false')
      assert.equal(await t.stored.reputationEntries('link_domain'), 0)
    })

    test('huge, binary and mangled input gets an answer, never a 500', async (ctx) => {
      const { t, key } = await akismetSite(ctx)
      const raw = (body: string | Uint8Array): Promise<Response> =>
        fetch(`${t.url}/1.1/comment-check`, { method: "POST", body: body as BodyInit, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      const base = `api_key=${key}&blog=https%3A%2F%2Fblog.example.org%2F&comment_content=`
      const bodies: (string | Uint8Array)[] = [
        base + 'a'.repeat(900_000),
        Buffer.concat([Buffer.from(base), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xe2, 0x82])]),
        base + '%E0%A4%A%%%ZZ%00%FF&&&==&comment_content=%C3%28',
        `${base}x&comment_author[]=a&comment_author[]=b&honeypot_field_name=comment_content`,
        '%%%%%%',
      ]
      for (const body of bodies) {
        const res = await raw(body)
        assert.ok(res.status < 500, `status ${res.status}`)
        assert.match(await res.text(), /^(true|false|invalid|Missing required field: .*|The request .*|.{1,200})$/)
      }
      const tooBig = await raw(base + 'a'.repeat(2_000_000))
      assert.equal(tooBig.status, 413)
    })
  })
}
