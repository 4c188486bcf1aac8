/**
 * Several app processes over one database (issue 16's multi-process proof): two real
 * `broadsheet serve` processes on their own ports, each with its page cache, over one PostgreSQL
 * database and over one SQLite file. What one process changes, the other serves within a second,
 * cached pages included; a scheduled story goes live once; the comment rate limit is one count.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from './support/dialects.ts'
import { listedArticles, processSite, type ProcessSite } from './support/process-site.ts'
import { freePort, startServerProcess, type ServerProcess } from './support/server-process.ts'

/** A stand-in WebSub hub: counts the pings it is sent, by the feed they name. */
async function startHub(): Promise<{ url: string; pings: string[]; close(): Promise<void> }> {
  const pings: string[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c))
    req.on('end', () => {
      pings.push(new URLSearchParams(body).get('hub.url') ?? '')
      res.writeHead(202).end()
    })
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${port}/`, pings, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

interface Answer {
  readonly status: number
  readonly cache: string | null
  readonly html: string
}

async function get(base: string, path: string): Promise<Answer> {
  const response = await fetch(base + path)
  return { status: response.status, cache: response.headers.get('x-cache'), html: await response.text() }
}

/** Reads `path` from `base` until `check` holds; answers how long that took (or Infinity after `ms`). */
async function within(ms: number, base: string, path: string, check: (a: Answer) => boolean): Promise<number> {
  const start = Date.now()
  while (Date.now() - start <= ms) {
    if (check(await get(base, path))) return Date.now() - start
    await new Promise((r) => setTimeout(r, 20))
  }
  return Infinity
}

function json(token: string | undefined, body: unknown, method = 'POST', clientAddress?: string): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...(clientAddress && { 'x-forwarded-for': clientAddress }) },
    body: JSON.stringify(body),
  }
}

for (const dialect of DIALECTS) {
  describe(`two app processes over one ${dialect === 'postgres' ? 'PostgreSQL database' : 'SQLite file'}`, () => {
    let site: ProcessSite
    let hub: Awaited<ReturnType<typeof startHub>>
    let a: ServerProcess
    let b: ServerProcess

    before(async () => {
      site = await processSite(dialect)
      hub = await startHub()
      // Each test posts from an address of its own (TRUST_PROXY), so that their comment counts stay apart.
      const env = { ...site.env, WEBSUB_HUB: hub.url, TRUST_PROXY: 'loopback', BROADSHEET_PAGE_CACHE_MB: '32' }
      a = await startServerProcess(env)
      b = await startServerProcess(env)
    })
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()])
      await hub?.close()
      await site?.remove()
    })

    test('a comment approved through one process is on the cached article page the other serves within a second', async () => {
      const [article] = await listedArticles(a.url)
      for (const server of [a, b]) {
        await get(server.url, article!.path)
        assert.equal((await get(server.url, article!.path)).cache, 'hit', 'each process serves the article from its cache')
      }
      const posted = await fetch(`${a.url}/api/v1/articles/${article!.id}/comments`, json(undefined, { author: 'Rhoda Towpath', email: 'rhoda@example.org', content: 'The lock gates leak again.' }, 'POST', '198.51.100.1'))
      assert.equal(posted.status, 201, await posted.clone().text())
      const { id } = (await posted.json()) as { id: number }
      assert.doesNotMatch((await get(b.url, article!.path)).html, /The lock gates leak again/, 'a held comment is not shown')

      const approved = await fetch(`${a.url}/api/v1/admin/comments/${id}`, json(site.token, { status: 'approved' }, 'PATCH'))
      assert.equal(approved.status, 200, await approved.clone().text())
      assert.match((await get(a.url, article!.path)).html, /The lock gates leak again/, 'the approving process shows it at once')
      const took = await within(1000, b.url, article!.path, (p) => p.html.includes('The lock gates leak again.'))
      assert.ok(took <= 1000, 'the other process still serves the page without the approved comment after a second')
      assert.equal((await get(b.url, article!.path)).cache, 'hit', 'and caches the new page again')
    })

    test('a scheduled story is on both processes’ cached front pages at its time, and is published (and announced) once', async () => {
      for (const server of [a, b]) {
        await get(server.url, '/')
        assert.equal((await get(server.url, '/')).cache, 'hit')
      }
      const due = new Date(Date.now() + 2000)
      const created = await fetch(`${a.url}/api/v1/admin/articles`, json(site.token, { title: 'Canal reopens to boats', body: 'From dawn.', status: 'scheduled', published_at: due.toISOString() }))
      assert.equal(created.status, 201, await created.clone().text())
      for (const server of [a, b]) assert.doesNotMatch((await get(server.url, '/')).html, /Canal reopens to boats/, 'not before its time')
      await new Promise((r) => setTimeout(r, Math.max(0, due.getTime() - Date.now())))
      for (const server of [a, b]) {
        const took = await within(1000, server.url, '/', (p) => p.html.includes('Canal reopens to boats'))
        assert.ok(took <= 1000, `${server === a ? 'the first' : 'the second'} process's front page lacks the story a second after its time`)
      }
      // Both processes look for due stories every 15 s; one claims it, and the hub hears of it once.
      const siteFeed = 'http://news.test/feed/'
      const deadline = Date.now() + 35_000
      while (!hub.pings.includes(siteFeed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
      await new Promise((r) => setTimeout(r, 16_000))
      assert.equal(hub.pings.filter((p) => p === siteFeed).length, 1, `the site's feed was announced ${hub.pings.filter((p) => p === siteFeed).length} times`)
    })

    test('the comment rate limit counts the comments of both processes together', async () => {
      const changed = await fetch(`${a.url}/api/v1/admin/settings`, json(site.token, { commentRateLimitPerMinute: 3 }, 'PATCH'))
      assert.equal(changed.status, 200, await changed.clone().text())
      // Settings reach the other process within a second (its copy lasts that long when nothing tells it sooner).
      await new Promise((r) => setTimeout(r, 1000))
      const [article] = await listedArticles(a.url)
      // A fixed window of a minute: a run that crosses a minute's end is made again from a new address.
      for (let attempt = 0; ; attempt++) {
        const minute = Math.floor(Date.now() / 60_000)
        const address = `198.51.100.${10 + attempt}`
        const statuses: number[] = []
        for (let i = 0; i < 5; i++) {
          const server = i % 2 === 0 ? a : b
          const posted = await fetch(`${server.url}/api/v1/articles/${article!.id}/comments`, json(undefined, { author: 'Sid Lockkeeper', email: `sid${attempt}-${i}@example.org`, content: `Comment number ${i} of run ${attempt}.` }, 'POST', address))
          statuses.push(posted.status)
          await posted.body?.cancel()
        }
        if (Math.floor(Date.now() / 60_000) !== minute && attempt < 2) continue
        assert.deepEqual(statuses, [201, 201, 201, 429, 429], 'three comments a minute from one address, whichever process takes them')
        break
      }
    })
  })
}

test('WEB_CONCURRENCY=2 starts two workers that serve the site, each with glibc held to two heaps unless the operator says otherwise', async (ctx) => {
  const site = await processSite('sqlite', { seed: false })
  ctx.after(() => site.remove())
  const workersOf = (pid: number) =>
    fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(pid)).map(Number)
  const environOf = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
  for (const [given, expected] of [[undefined, 'MALLOC_ARENA_MAX=2'], ['4', 'MALLOC_ARENA_MAX=4']] as const) {
    const server = await startServerProcess({ ...site.env, WEB_CONCURRENCY: '2', ...(given && { MALLOC_ARENA_MAX: given }) })
    try {
      let workers: number[] = []
      for (let tries = 0; tries < 100 && workers.length < 2; tries++) {
        workers = workersOf(server.process.pid!)
        if (workers.length < 2) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.equal(workers.length, 2, 'two worker processes')
      for (const pid of workers) assert.ok(environOf(pid).includes(expected), `worker ${pid} has ${expected}`)
      const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`${server.url}/`)))
      assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200))
    } finally {
      await server.stop()
    }
  }
})
