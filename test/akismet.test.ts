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
      const noContent = await post('/1.1/comment-check', { api_key: key, blog: 'https://blog.example.org/' })
      assert.equal(await noContent.text(), 'Missing required field: comment_content.')
      const thanks = await post('/1.1/submit-ham', { api_key: key, blog: 'https://blog.example.org/', comment_content: 'fine', is_test: '1', extra_field: 'ignored' })
      assert.equal(await thanks.text(), 'Thanks for making the web a better place.')
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
