/**
 * Reader-page throughput: 1,000 articles on SQLite (the measured one with a 1,500-word body and
 * 20 approved comments), the real server in its own process with its page cache and a second
 * one without (BROADSHEET_PAGE_CACHE_MB=0), wrk on loopback when it is installed (autocannon
 * otherwise), and as references the very same HTML bytes served by a minimal node:http server and
 * by nginx (when installed), all in the same run: `--runs N` (default 3) alternating runs, each
 * figure printed as min / median / max, with the load average. No Accept-Encoding is sent: every
 * answer is the plain page.
 *
 *   npm run bench:pages [-- --seconds 10 --connections 64 --runs 3]     (WEB_CONCURRENCY=2 for two app processes)
 *
 * Then the feeds and sitemaps, on the server without the page cache and on the one with it, each
 * beside the article page in the same run and with the same load generator, fetched whole and as
 * conditional GETs (If-None-Match) answered 304.
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { median, spread, startProcess, startServer } from './support.ts'
import { saveArticle } from '../src/articles/articles.ts'
import { insertComment } from '../src/comments/comment-store.ts'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '64' }, runs: { type: 'string', default: '3' } },
})
const seconds = Number(args.seconds)
const connections = Number(args.connections)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-'))
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))

const words = 'the council said on thursday that river levels would fall through tuesday while crews kept barriers in place and residents of the lower meadow were told to stay alert as more rain is forecast for the weekend according to officials'.split(' ')
function prose(count: number, seed: number): string {
  const paragraphs: string[] = []
  let n = 0
  while (n < count) {
    const para: string[] = []
    for (let i = 0; i < 60 && n < count; i++, n++) para.push(words[(seed * 7 + n * 13) % words.length]!)
    paragraphs.push(para.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.')
  }
  return paragraphs.join('\n\n')
}

async function seed(): Promise<string> {
  const env = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' }
  const site = await openSite(loadConfig(env))
  const start = new Date('2025-01-01T08:00:00Z').getTime()
  let measured = ''
  for (let i = 0; i < 1000; i++) {
    const last = i === 999
    const { article } = await saveArticle(site.db, {
      title: `Story number ${i}: council and river ${i % 17}`,
      standfirst: 'A standfirst of a sentence or two that sums the story up for the reader.',
      body: prose(last ? 1500 : 400, i),
      authors: [`Reporter ${i % 12}`],
      categories: [`Section ${i % 6}`],
      tags: [`Topic ${i % 40}`, `Topic ${(i + 7) % 40}`],
      credits: [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }],
      publishedAt: new Date(start + i * 3_600_000),
    })
    if (last) {
      for (let c = 0; c < 20; c++) {
        await insertComment(site.db, {
          article_id: article.id,
          parent_id: null,
          author_name: `Reader ${c}`,
          author_email: `reader${c}@example.org`,
          author_url: '',
          author_ip: '127.0.0.1',
          user_agent: null,
          content_markdown: prose(60, c),
          content_html: `<p>${prose(60, c)}</p>`,
          status: 'approved',
          reasons: '[]',
          spam_score: null,
          notify_replies: 0,
          created_at: new Date(start + i * 3_600_000 + c * 60_000).toISOString(),
        })
      }
      const d = new Date(start + i * 3_600_000)
      measured = `/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${article.slug}/`
    }
  }
  // The news sitemap lists the last 48 hours: a day's stories, dated just before now.
  for (let i = 0; i < 24; i++) {
    await saveArticle(site.db, {
      title: `Today's story ${i}: council and river`,
      standfirst: 'A standfirst of a sentence or two that sums the story up for the reader.',
      body: prose(400, 2000 + i),
      authors: [`Reporter ${i % 12}`],
      categories: [`Section ${i % 6}`],
      tags: [`Topic ${i % 40}`],
      publishedAt: new Date(Date.now() - (24 - i) * 3_600_000),
    })
  }
  await site.close()
  return measured
}

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => fs.existsSync(p))

async function measure(url: string) {
  return WRK ? measureWithWrk(WRK, url) : measureWithAutocannon(url)
}

/** wrk with two threads; its latency percentiles come in us, ms or s. */
function measureWithWrk(wrk: string, url: string) {
  const out = execFileSync(wrk, ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8' })
  const ms = (s: string) => {
    const m = /^([\d.]+)(us|ms|s)$/.exec(s)
    if (!m) throw new Error(`wrk: cannot read the latency ${s}`)
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1)
  }
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const p50 = ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '')
  const p99 = ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '')
  const total = Number(/(\d+) requests in/.exec(out)?.[1])
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const broken = errors ? Number(errors[1]) + Number(errors[2]) + Number(errors[3]) : 0
  // Requests wrk gave up on after 2 s are counted and shown (a busy machine makes them), not hidden.
  const timeouts = errors ? Number(errors[4]) : 0
  if (non2xx || broken > total * 0.001) throw new Error(`${url}: ${non2xx} non-2xx answers, ${broken} socket errors in ${total} requests`)
  return { rps, p99: Number(p99.toFixed(2)), p50: Number(p50.toFixed(2)), bytes: 0, timeouts }
}

async function measureWithAutocannon(url: string) {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 })
  // A handful of sockets cut off when the run stops count as errors; anything more is a failure.
  if (result.non2xx || result.errors > result.requests.total * 0.001) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors in ${result.requests.total} requests`)
  }
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, bytes: result.throughput.average, timeouts: result.timeouts }
}

console.log('seeding 1,000 articles …')
const articlePath = await seed()
const serverEnv = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0', WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1' }
const { url: base } = await startServer(serverEnv)
const { url: uncachedBase } = await startServer({ ...serverEnv, BROADSHEET_PAGE_CACHE_MB: '0' })
const articleHtml = await (await fetch(base + articlePath)).text()
if (!articleHtml.includes('20 Comments')) throw new Error('the measured article does not show its 20 comments')
const staticFile = path.join(dir, 'article.html')
fs.writeFileSync(staticFile, articleHtml)
const staticPort = Number(new URL(base).port) + 600
const staticServer = `
  const http = require('node:http'); const fs = require('node:fs');
  const body = fs.readFileSync(${JSON.stringify(staticFile)});
  http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }); res.end(body) })
    .listen(${staticPort}, '127.0.0.1')`
await startProcess(['-e', staticServer], {}, `http://127.0.0.1:${staticPort}/`)
const nginxUrl = await startNginx(staticFile, staticPort + 1)

/** nginx serving the same file, when Debian's nginx is installed: the reference a static site would get. */
async function startNginx(file: string, port: number): Promise<string | undefined> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p))
  if (!nginx) return undefined
  const prefix = fs.mkdtempSync(path.join(dir, 'nginx-'))
  // nginx's workers run as nobody: they must be able to reach the file.
  fs.chmodSync(dir, 0o755)
  fs.chmodSync(prefix, 0o755)
  fs.chmodSync(file, 0o644)
  const conf = path.join(prefix, 'nginx.conf')
  fs.writeFileSync(
    conf,
    `daemon off; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;
events { worker_connections 1024; }
http { access_log off; types { text/html html; } server { listen 127.0.0.1:${port}; root ${path.dirname(file)}; location / { try_files /${path.basename(file)} =404; default_type text/html; } } }`,
  )
  const child = spawn(nginx, ['-p', prefix, '-c', conf], { stdio: 'ignore' })
  process.on('exit', () => child.kill('SIGKILL'))
  const url = `http://127.0.0.1:${port}/`
  for (let i = 0; i < 50; i++) {
    if ((await fetch(url).catch(() => undefined))?.status === 200) return url
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  return undefined
}

const runs = Number(args.runs)
console.log(`article page: ${(articleHtml.length / 1024).toFixed(1)} KB, ${connections} connections, ${seconds} s each, ${WRK ? 'wrk -t2' : 'autocannon'}, ${runs} alternating runs, node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`)
const pages: [string, string][] = [
  ['static file (reference, node:http)', `http://127.0.0.1:${staticPort}/`],
  ...(nginxUrl ? ([['static file (nginx)', nginxUrl]] as [string, string][]) : []),
  ['article page (uncached, SQLite)', uncachedBase + articlePath],
  ['article page (page cache, SQLite)', base + articlePath],
  ['front page (uncached, SQLite)', uncachedBase + '/'],
  ['front page (page cache, SQLite)', base + '/'],
]
type Measured = Awaited<ReturnType<typeof measure>>
const results = new Map<string, Measured[]>(pages.map(([name]) => [name, []]))
for (let run = 1; run <= runs; run++) {
  for (const [name, url] of pages) results.get(name)!.push(await measure(url))
  console.log(`run ${run}/${runs} done, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}
const referenceRuns = results.get(pages[0]![0])!
const shareOfReference = (name: string) => results.get(name)!.map((r, i) => (r.rps / referenceRuns[i]!.rps) * 100)
console.log(`\n${'page'.padEnd(36)} ${'req/s (min / median / max)'.padStart(28)} ${'p99 ms'.padStart(22)} ${'% of node:http'.padStart(22)}`)
for (const [name] of pages) {
  const r = results.get(name)!
  const timeouts = r.reduce((n, x) => n + x.timeouts, 0)
  console.log(`${name.padEnd(36)} ${spread(r.map((x) => x.rps)).padStart(28)} ${spread(r.map((x) => x.p99), 2).padStart(22)} ${spread(shareOfReference(name), 1).padStart(22)}${timeouts ? `   (${timeouts} timed out)` : ''}`)
}
console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
const uncachedShare = median(shareOfReference('article page (uncached, SQLite)'))
const cachedShare = median(shareOfReference('article page (page cache, SQLite)'))
const cachedP99 = median(results.get('article page (page cache, SQLite)')!.map((x) => x.p99))
console.log(`target: uncached article page ≥ 25% of the reference → median ${uncachedShare.toFixed(1)}%: ${uncachedShare >= 25 ? 'met' : 'NOT met'}`)
console.log(`target: cached article page ≥ 70% of the reference and p99 < 10 ms → median ${cachedShare.toFixed(1)}%, p99 ${cachedP99.toFixed(2)} ms: ${cachedShare >= 70 && cachedP99 < 10 ? 'met' : 'NOT met'}`)

/** Feeds and sitemaps, one of each kind, measured beside the article page. */
const syndication = ['/feed/', '/feed/atom/', '/feed.json', '/sitemap.xml', '/sitemap-articles-1.xml', '/news-sitemap.xml']
await measureSyndication('uncached', uncachedBase, [articlePath, ...syndication])
await measureSyndication('page cache', base, [articlePath, ...syndication])
process.exit(0)

async function measureSyndication(label: string, server: string, paths: readonly string[]) {
  const tool = WRK ? 'wrk' : 'autocannon'
  const targets: { name: string; url: string; etag?: string }[] = []
  for (const p of paths) {
    // A connection kept from before the load runs may have been closed by the server meanwhile.
    const first = await fetch(server + p).catch(() => fetch(server + p))
    const body = await first.text()
    if (first.status !== 200) throw new Error(`${p} answers ${first.status}`)
    if (p === '/news-sitemap.xml' && !body.includes('<news:news>')) throw new Error('the news sitemap lists no story')
    const etag = first.headers.get('etag')
    if (!etag) throw new Error(`${p} has no ETag`)
    const again = await fetch(server + p, { headers: { 'if-none-match': etag } }).catch(() => fetch(server + p, { headers: { 'if-none-match': etag } }))
    if (again.status !== 304) throw new Error(`${p} with If-None-Match answers ${again.status}, not 304`)
    const name = p === articlePath ? 'article page' : p
    targets.push({ name: `${name} (${(body.length / 1024).toFixed(1)} KB)`, url: server + p }, { name: `${name} → 304`, url: server + p, etag })
  }
  const figures = new Map<string, { rps: number; p99: number }[]>()
  for (let run = 1; run <= runs; run++) {
    for (const t of targets) {
      const r = tool === 'wrk' ? await wrk(t.url, t.etag) : await measureHeaders(t.url, t.etag)
      figures.set(t.name, [...(figures.get(t.name) ?? []), r])
    }
    console.log(`syndication (${label}) run ${run}/${runs} done, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  }
  const articleRps = figures.get(targets[0]!.name)!.map((f) => f.rps)
  console.log(`\nfeeds and sitemaps, ${label}, beside the article page (${tool}, ${connections} connections, ${seconds} s each${runs > 1 ? `; ${runs} runs, min / median / max` : ''}):`)
  for (const t of targets) {
    const f = figures.get(t.name)!
    const share = f.map((x, i) => (x.rps / articleRps[i]!) * 100)
    console.log(`${t.name.padEnd(40)} ${spread(f.map((x) => x.rps), 1).padStart(24)} req/s   p99 ${spread(f.map((x) => x.p99), 2).padStart(20)} ms   ${spread(share, 1).padStart(20)}% of the article page`)
  }
}

/** wrk's requests/s and 99th percentile latency (ms) for one URL, with If-None-Match when given. */
async function wrk(url: string, etag?: string): Promise<{ rps: number; p99: number }> {
  const argv = ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', ...(etag ? ['-H', `If-None-Match: ${etag}`] : []), url]
  const out = execFileSync(WRK!, argv, { encoding: 'utf8' })
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)
  if (errors) throw new Error(`${url}: ${errors[1]} answers of 400 or more`)
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out)
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out)
  if (!p99 || !rps) throw new Error(`wrk said something unexpected:\n${out}`)
  return { rps: Number(rps[1]), p99: Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[p99[2] as 'us' | 'ms' | 's'] }
}

async function measureHeaders(url: string, etag?: string): Promise<{ rps: number; p99: number }> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, ...(etag && { headers: { 'if-none-match': etag } }) })
  const expected = etag ? result['3xx'] : result['2xx']
  if (expected < result.requests.total * 0.999) throw new Error(`${url}: ${result.requests.total - expected} unexpected answers in ${result.requests.total}`)
  return { rps: result.requests.average, p99: result.latency.p99 }
}
