import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { buildServer } from '../src/web/server.ts'
import { startSmtp } from './support/smtp.ts'
import { testSite, type TestSite } from './support/test-site.ts'

let posted = 0

/** Posts comments as fast as a script would, each claiming to come from another address. */
async function postFrom(t: TestSite, articleId: number, n: number, headers: (i: number) => Record<string, string>) {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) {
    const k = posted++
    const res = await t.get(`/api/v1/articles/${articleId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers(i) },
      body: JSON.stringify({ author: 'Script', email: `script${k}@example.org`, content: `Comment number ${k} from a script` }),
    })
    statuses.push(res.status)
  }
  return statuses
}

async function storedIps(t: TestSite): Promise<(string | null)[]> {
  const token = await t.staffToken('editor')
  const queue = (await (await t.get('/api/v1/admin/comments', { headers: { authorization: `Bearer ${token}` } })).json()) as { comments: { author_ip: string | null }[] }
  return queue.comments.map((c) => c.author_ip)
}

test('without TRUST_PROXY a forged X-Forwarded-For neither lifts the rate limit nor is stored as the address', async (ctx) => {
  const t = await testSite()
  ctx.after(() => t.close())
  await t.settings({ commentRateLimitPerMinute: 3 })
  const { article } = await t.publish({ title: 'Rate limits', publishedAt: new Date(t.now.getTime() - 3600_000) })
  t.now = new Date(Math.ceil(t.now.getTime() / 60_000) * 60_000 + 1000)
  const statuses = await postFrom(t, article.id, 6, (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}`, forwarded: `for=203.0.113.${i + 1}` }))
  assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429], 'the limit counts the real peer, whatever the headers say')
  assert.deepEqual([...new Set(await storedIps(t))], ['127.0.0.1'])
})

test('behind a trusted proxy the address it forwards counts, and each client has a limit of its own', async (ctx) => {
  const t = await testSite({ env: { TRUST_PROXY: 'loopback' } })
  ctx.after(() => t.close())
  await t.settings({ commentRateLimitPerMinute: 2 })
  const { article } = await t.publish({ title: 'Behind the proxy', publishedAt: new Date(t.now.getTime() - 3600_000) })
  t.now = new Date(Math.ceil(t.now.getTime() / 60_000) * 60_000 + 1000)
  assert.deepEqual(await postFrom(t, article.id, 3, () => ({ 'x-forwarded-for': '198.51.100.7' })), [201, 201, 429])
  assert.deepEqual(await postFrom(t, article.id, 2, () => ({ 'x-forwarded-for': '198.51.100.8' })), [201, 201], 'another client behind the proxy')
  const ips = await storedIps(t)
  assert.ok(ips.includes('198.51.100.7') && ips.includes('198.51.100.8'), `stored: ${ips.join(', ')}`)
  assert.ok(!ips.includes('127.0.0.1'), 'the proxy is not taken for the commenter')
  // This proxy sets X-Forwarded-For: a Forwarded header is the client's own and means nothing.
  await postFrom(t, article.id, 1, () => ({ 'x-forwarded-for': '198.51.100.9', forwarded: 'for=192.0.2.66' }))
  assert.ok(!(await storedIps(t)).includes('192.0.2.66'))
})

test('behind a proxy that sets Forwarded, that header counts and a client-sent X-Forwarded-For is ignored', async (ctx) => {
  const t = await testSite({ env: { TRUST_PROXY: 'loopback', TRUST_PROXY_HEADER: 'forwarded' } })
  ctx.after(() => t.close())
  const { article } = await t.publish({ title: 'RFC 7239', publishedAt: new Date(t.now.getTime() - 3600_000) })
  await postFrom(t, article.id, 1, () => ({ 'x-forwarded-for': '6.6.6.6', forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https' }))
  assert.deepEqual(await storedIps(t), ['2001:db8:cafe::17'])
  const unreadable = await postFrom(t, article.id, 1, () => ({ forwarded: 'for=="broken' }))
  assert.deepEqual(unreadable, [400], 'a request whose address cannot be read is refused, not counted under the proxy')
})

test('a hop count trusts only that many proxies: an address the client put in front is not believed', async (ctx) => {
  const t = await testSite({ env: { TRUST_PROXY: '1' } })
  ctx.after(() => t.close())
  const { article } = await t.publish({ title: 'One hop', publishedAt: new Date(t.now.getTime() - 3600_000) })
  // The client forged 192.0.2.66; the proxy (loopback here) appended the address it saw.
  await postFrom(t, article.id, 1, () => ({ 'x-forwarded-for': '192.0.2.66, 198.51.100.20' }))
  assert.deepEqual(await storedIps(t), ['198.51.100.20'])
})

test('privacy requests are limited per e-mail address too: senders on many addresses cannot flood one inbox', async (ctx) => {
  const smtp = await startSmtp()
  const t = await testSite({ env: { SMTP_URL: smtp.url, TRUST_PROXY: 'loopback' } })
  ctx.after(async () => {
    await t.close()
    await smtp.close()
  })
  const ask = (sender: string, email: string) =>
    t.get('/privacy/requests', {
      method: 'POST',
      body: new URLSearchParams({ email, kind: 'erase' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': sender },
    })
  const statuses = []
  for (let i = 1; i <= 5; i++) statuses.push((await ask(`198.51.100.${i}`, 'victim@example.org')).status)
  assert.deepEqual(statuses, [200, 200, 200, 429, 429])
  const refused = await ask('198.51.100.99', 'victim@example.org')
  assert.ok(Number(refused.headers.get('retry-after')) > 0)
  assert.match(await refused.text(), /Too many requests have been made for this e-mail address/)
  assert.equal(smtp.inbox.filter((m) => m.to.includes('victim@example.org')).length, 3, 'three e-mails reached the victim, not five')
  assert.equal((await ask('198.51.100.1', 'someone-else@example.org')).status, 200, 'other addresses are not affected')
})

for (const trustProxy of ['loopback', undefined]) {
  test(`privacy requests from 40 different forwarded addresses to one inbox send at most 5 e-mails (TRUST_PROXY ${trustProxy ?? 'unset'})`, async (ctx) => {
    const smtp = await startSmtp()
    const t = await testSite({ env: { SMTP_URL: smtp.url, ...(trustProxy && { TRUST_PROXY: trustProxy }) } })
    ctx.after(async () => {
      await t.close()
      await smtp.close()
    })
    const statuses: number[] = []
    for (let i = 1; i <= 40; i++) {
      const res = await t.get('/privacy/requests', {
        method: 'POST',
        body: new URLSearchParams({ email: 'victim@example.org', kind: i % 2 ? 'erase' : 'export' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.${100 + (i % 3)}.${i}` },
      })
      statuses.push(res.status)
    }
    assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 429), [], 'every request is answered or refused, none fails')
    const delivered = smtp.inbox.filter((m) => m.to.includes('victim@example.org')).length
    assert.ok(delivered >= 1 && delivered <= 5, `${delivered} e-mails reached the victim from 40 senders`)
    assert.equal(statuses.filter((s) => s === 200).length, delivered, 'a request is accepted only when its e-mail goes out')
  })
}

test('request logs show the network of the client, never its full address', async (ctx) => {
  const t = await testSite({ env: { TRUST_PROXY: 'loopback', TRUST_PROXY_HEADER: 'forwarded' } })
  const lines: string[] = []
  const app = await buildServer(t.site, { logLevel: 'info', logStream: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) })
  ctx.after(async () => {
    await app.close()
    await t.close()
  })
  await app.inject({ url: '/', headers: { forwarded: 'for=203.0.113.45' }, remoteAddress: '127.0.0.1' })
  const log = lines.join('')
  assert.match(log, /"remoteAddress":"203\.0\.113\.0"/)
  assert.doesNotMatch(log, /203\.0\.113\.45/)
})
