import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { parseJsonFeed } from 'feedsmith'
import { DIALECTS } from './support/dialects.ts'
import { testSite } from './support/test-site.ts'

const HOUR = 3_600_000

/** A WebSub hub on loopback that takes publish pings and remembers each one. */
async function hub(ctx: { after(fn: () => Promise<void>): void }, status = 204) {
  const pings: { mode: string | null; topic: string | null }[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const form = new URLSearchParams(body)
      if (req.method === 'POST' && req.headers['content-type'] === 'application/x-www-form-urlencoded') pings.push({ mode: form.get('hub.mode'), topic: form.get('hub.url') })
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  ctx.after(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  }))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`
  let seen = 0
  /** The pings not looked at yet, once `count` of them have arrived (or two seconds have passed). */
  const next = async (count: number) => {
    for (let waited = 0; pings.length - seen < count && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20))
    const fresh = pings.slice(seen)
    seen = pings.length
    return fresh
  }
  return { url, pings, next }
}

const quiet = () => new Promise((r) => setTimeout(r, 300))

for (const dialect of DIALECTS) {
  test(`on ${dialect}, publishing, updating, correcting and withdrawing a story ping the WebSub hub with every feed it is in`, async (ctx) => {
    const h = await hub(ctx)
    const t = await testSite(ctx, { dialect, env: { WEBSUB_HUB: h.url } })
    const token = await t.staffToken('editor')

    await t.api('/api/v1/admin/articles', { method: 'POST', token, body: { title: 'Unfinished draft', body: 'Not yet.' } })
    await quiet()
    assert.equal(h.pings.length, 0, 'a draft readers cannot see changes no feed')

    const created = await t.api('/api/v1/admin/articles', { method: 'POST', token, body: { title: 'Flood wall approved', body: 'The council voted.', status: 'published', categories: ['Local'], tags: ['Flooding'] } })
    assert.equal(created.status, 201)
    const story = (await created.json()) as { id: number; revision: number }
    const published = await h.next(12)
    assert.ok(published.every((p) => p.mode === 'publish'))
    const topics = published.map((p) => p.topic).sort()
    const author = topics.find((p) => p?.includes('/author/'))!.replace(/feed\/.*$|feed\.json$/, '')
    assert.deepEqual(
      topics,
      [
        'http://news.test/category/local/feed/',
        'http://news.test/category/local/feed/atom/',
        'http://news.test/category/local/feed/json/',
        `${author}feed/`,
        `${author}feed/atom/`,
        `${author}feed/json/`,
        'http://news.test/feed.json',
        'http://news.test/feed/',
        'http://news.test/feed/atom/',
        'http://news.test/tag/flooding/feed/',
        'http://news.test/tag/flooding/feed/atom/',
        'http://news.test/tag/flooding/feed/json/',
      ].sort(),
    )

    const updated = await t.api(`/api/v1/admin/articles/${story.id}`, { method: 'PATCH', token, body: { standfirst: 'Work starts in spring.', base_revision: story.revision } })
    assert.equal(updated.status, 200)
    assert.ok((await h.next(12)).some((p) => p.topic === 'http://news.test/feed/'), 'an update republishes the feeds')

    const corrected = await t.api(`/api/v1/admin/articles/${story.id}/corrections`, { method: 'POST', token, body: { text: 'The vote was 7 to 2, not 8 to 1.' } })
    assert.equal(corrected.status, 201)
    assert.ok((await h.next(12)).some((p) => p.topic === 'http://news.test/feed/atom/'), 'a correction republishes the feeds')

    const withdrawn = await t.api(`/api/v1/admin/articles/${story.id}/unpublish`, { method: 'POST', token, body: {} })
    assert.equal(withdrawn.status, 200)
    assert.ok((await h.next(12)).some((p) => p.topic === 'http://news.test/category/local/feed/'), 'a withdrawn story leaves its feeds: they changed')
  })

  test(`on ${dialect}, a scheduled story pings the hub when it goes live, not when it is scheduled`, async (ctx) => {
    const h = await hub(ctx)
    const t = await testSite(ctx, { dialect, env: { WEBSUB_HUB: h.url } })
    await t.publish({ title: 'Budget embargoed until noon', status: 'scheduled', publishedAt: new Date(t.now.getTime() + HOUR) })
    await quiet()
    assert.equal(h.pings.length, 0)
    t.now = new Date(t.now.getTime() + 2 * HOUR)
    const live = await t.site.services.articles.publishDue()
    assert.equal(live.length, 1)
    assert.ok((await h.next(6)).some((p) => p.topic === 'http://news.test/feed/'))
  })
}

test('feeds name the hub in the document and in a Link header; without WEBSUB_HUB they name none', async (ctx) => {
  const h = await hub(ctx)
  const t = await testSite(ctx, { env: { WEBSUB_HUB: h.url } })
  await t.publish({ title: 'Flood wall approved' })
  for (const [path, self] of [['/feed/', 'http://news.test/feed/'], ['/feed/atom/', 'http://news.test/feed/atom/'], ['/feed.json', 'http://news.test/feed.json']] as const) {
    const res = await t.get(path)
    assert.equal(res.headers.get('link'), `<${h.url}>; rel="hub", <${self}>; rel="self"`)
    const body = await res.text()
    if (path === '/feed.json') assert.deepEqual(parseJsonFeed(body).hubs, [{ type: 'WebSub', url: h.url }])
    else assert.ok(body.includes(`href="${h.url}"`) && /rel="hub"/.test(body), `${path} names the hub`)
  }

  const plain = await testSite(ctx)
  await plain.publish({ title: 'Flood wall approved' })
  const res = await plain.get('/feed/')
  assert.equal(res.headers.get('link'), null)
  assert.doesNotMatch(await res.text(), /rel="hub"/)
})

test('a hub that refuses a ping is reported as background work that failed, and the story is still published', async (ctx) => {
  const h = await hub(ctx, 503)
  const t = await testSite(ctx, { env: { WEBSUB_HUB: h.url } })
  const failures: string[] = []
  t.site.reportBackgroundErrorsTo((error) => failures.push((error as Error).message))
  const { article } = await t.publish({ title: 'Flood wall approved' })
  await h.next(3)
  for (let waited = 0; failures.length === 0 && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20))
  assert.match(failures[0] ?? '', /the WebSub hub http:\/\/127\.0\.0\.1:\d+\/hub did not take the ping for http:\/\/news\.test\/feed\/ \(503\)/)
  assert.equal((await t.get(t.pathOf(article))).status, 200)
})
